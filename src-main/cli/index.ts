import * as scoreThreads from '../backend/model/score-threads';
import { userDataDir } from '../backend/host/paths';
import { loadBody, SCORE_THREADS } from './body';
import { startScoreThreadEarly } from './early-threads';
import { compileLoopsInPlace } from './jit';

// The CLI entry. A large file's scoring thread starts first (early-threads.ts); then the body, every command and the
// backend, compiled with V8's code cache (body.ts). It shares this entry's pool of scoring threads.
const argv = process.argv.slice(2);
startScoreThreadEarly(import.meta.url, argv);
// Before the body is compiled: V8 keys compiled code by its flags, and the score command's code cache by these.
if (argv[0] === 'score') compileLoopsInPlace();
const { runCli } = await loadBody(import.meta.url, argv, { [SCORE_THREADS]: scoreThreads }, userDataDir());
runCli(argv, import.meta.url);
