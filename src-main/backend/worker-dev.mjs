// Development entry of the backend worker (tests, `tsx`): Node 20 resolves a
// worker's .ts entry before `--import tsx` hooks apply, so this plain .mjs
// registers tsx for the thread and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
