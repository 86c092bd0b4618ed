// Development entry of the extra scoring threads (tests, `tsx`): as in
// worker-dev.mjs, a plain .mjs registers tsx, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./model/score-worker.ts');
