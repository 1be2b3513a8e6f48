import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share a worker's loaded modules instead of importing the app again each (a third of
    // the workers' time). Each file still builds its own app and database; nothing in the server
    // keeps state in a module that a test changes.
    isolate: false,
    // PGlite is CPU-bound WASM; two cores run two files well.
    maxWorkers: 2,
  },
});
