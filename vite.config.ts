import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: fromRoot('./web'),
  plugins: [react()],
  resolve: {
    // dkfds only exports its JS entry; let the app import the compiled CSS from the package.
    alias: [{ find: /^dkfds\/dist\/(.*)$/, replacement: `${fromRoot('./node_modules/dkfds/dist')}/$1` }],
  },
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
