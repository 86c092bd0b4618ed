#!/usr/bin/env node
// The CLI runs from the build (out/main/cli.js); say what to do when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
// The entry and the body it compiles (scripts/build-cli.ts writes the body after the Electron build).
if (!existsSync(cli) || !existsSync(new URL('../out/main/cli-body.cjs', import.meta.url))) {
  process.stderr.write('greenlens: the app is not built yet. Run `npm run build` in the GreenLens folder, then try again.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
