// Worker threads do not inherit the parent's TypeScript loader (under `tsx` and under vitest
// alike): register tsx inside the worker, then load the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
