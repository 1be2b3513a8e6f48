// The import's parsing thread starts here: a worker thread does not inherit the main thread's tsx
// loader, so it registers its own before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./import-worker.ts', import.meta.url).href);
