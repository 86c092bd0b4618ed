// Test-only entry: lets a worker thread run the TypeScript worker source
// (production passes the built JS file instead).
import { register } from 'tsx/esm/api';

register();
await import('../../../src-main/core/model/score-worker.ts');
