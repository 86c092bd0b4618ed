/**
 * Ending the process once a command has returned. Left to itself, Node then
 * waits for V8's background tasks and tears down the heap and every thread:
 * 30–40 ms of a 0.65 s `greenlens score`, after the work was done. When nothing
 * but the standard streams keeps the process alive, it is ended at once (the
 * 'exit' listeners, such as the code cache's, still run) once what was written
 * to them is handed over; anything else still open (a write, a timer, a
 * socket, a child process) is left to finish and the process ends by itself.
 */

/** Active resources (`process.getActiveResourcesInfo()`) that hold nothing a finished command still needs: stdout and stderr. */
const STREAMS = new Set(['PipeWrap', 'TTYWrap']);

export interface ExitHooks {
  resources(): string[];
  /** Calls back once everything written to stdout and stderr has been handed to the OS. */
  flush(done: () => void): void;
  exit(code: number): void;
}

const processHooks: ExitHooks = {
  resources: () => process.getActiveResourcesInfo(),
  flush: (done) => process.stdout.write('', () => process.stderr.write('', () => done())),
  exit: (code) => process.exit(code),
};

/** Sets the exit code, and ends the process as soon as only the standard streams are open. */
export function exitWhenDone(code: number, hooks: ExitHooks = processHooks): void {
  process.exitCode = code;
  // A large output may still be on its way into a pipe: it is handed over first, then what else is open is judged.
  hooks.flush(() => {
    // After the callbacks the command's last steps queued (a closing file is still a request now).
    setImmediate(() => {
      if (hooks.resources().every((r) => STREAMS.has(r))) hooks.exit(code);
    });
  });
}
