import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** What the CLI's body (run.ts) gives its entry. */
export interface CliBody {
  runCli(argv: string[], entryUrl: string): void;
}

/** The body's modules that must be the entry's own instances (the scoring thread started early lives in one). */
export type SharedModules = Record<string, object>;

/** The built body beside the built entry (scripts/build-cli.ts writes it). */
export const BODY_FILE = 'cli-body.cjs';
/**
 * The body is one function expression, wrapped by the build as Node wraps a CommonJS module: a file V8 compiles as
 * it is read, with no copy of 1–2 MB of text to join a wrapper to it first.
 */
export const BODY_WRAPPER = { start: '(function (exports, require, module, __filename, __dirname) {', end: '\n})' };
/** The name the built body requires backend/model/score-threads.ts by (scripts/build-cli.ts leaves it out of the body). */
export const SCORE_THREADS = 'greenlens:score-threads';

/**
 * The CLI's body: every command, the backend, the contract and the ES-only
 * packages, about 2 MB of JavaScript that a command parsed and compiled on
 * each start before its work began (~60 ms of a 0.6 s `greenlens score`). Node 20 keeps
 * no compiled code between runs for ES modules, so the body is built as one
 * CommonJS script and compiled here with V8's code cache, one per command,
 * kept in the user's data folder: V8 checks that a cache fits this Node,
 * these flags and this source, and rejects one that does not; the body is
 * then compiled as usual and the cache written again when the command ends
 * well. From source (tsx), the body is imported as it is.
 */
export async function loadBody(entryUrl: string, argv: readonly string[], shared: SharedModules, dataDir: string): Promise<CliBody> {
  if (entryUrl.endsWith('.ts')) return (await import(/* @vite-ignore */ new URL('./run.ts', entryUrl).href)) as CliBody;
  const file = fileURLToPath(new URL(`./${BODY_FILE}`, entryUrl));
  if (!existsSync(file)) throw new Error(`${file} is missing: the build did not finish. Run \`npm run build\` in the GreenLens folder.`);
  const source = readFileSync(file, 'utf8');
  const cache = new CodeCache(join(dataDir, 'code-cache'), cacheName(argv[0], statSync(file)));
  const cachedData = cache.read();
  const script = new vm.Script(source, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const used = cachedData !== null && script.cachedDataRejected !== true;
  const verbose = argv.includes('--verbose');
  if (verbose) process.stderr.write(`greenlens: code cache ${used ? 'used' : cachedData ? 'rejected' : 'missing'} (${cache.file})\n`);
  const module = { exports: {} as CliBody };
  const load = createRequire(file);
  const wrapper = script.runInThisContext() as (e: object, r: (id: string) => unknown, m: object, f: string, d: string) => void;
  wrapper(module.exports, (id) => shared[id] ?? load(id), module, file, dirname(file));
  // Written once the command has run, so the cache holds the functions it compiled, not only the top level.
  if (!used && worthCaching(argv)) {
    process.once('exit', (code) => {
      if (code !== 0) return;
      const error = cache.write(script.createCachedData());
      if (verbose) process.stderr.write(`greenlens: code cache ${error ? `not written: ${error}` : 'written'}\n`);
    });
  }
  return module.exports;
}

/** A help or version request compiles little of what the command will need: its cache would stay that small. */
function worthCaching(argv: readonly string[]): boolean {
  return argv.length > 0 && !argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v');
}

/**
 * One cache per command (each compiles different functions), named by what V8 would reject it for anyway, the Node
 * version, architecture and flags (so runs with other flags do not overwrite each other's), and by the body file's
 * size and time: a build rewrites the body, so a new build never reads an old cache (V8 checks a cache against the
 * source's length only).
 */
export function cacheName(
  command: string | undefined,
  body: { size: number; mtimeMs: number },
  execArgv: readonly string[] = process.execArgv,
): { prefix: string; file: string } {
  const name = command && /^[a-z][a-z-]{0,40}$/.test(command) ? command : 'other';
  const flags = fnv1a(execArgv.join('\0')).toString(16).padStart(8, '0');
  // A new cache replaces the files with this prefix: the same command, Node and flags, an older body.
  const prefix = `cli-${name}-${process.version}-${process.arch}-${flags}-`;
  return { prefix, file: `${prefix}${body.size}-${Math.round(body.mtimeMs * 1000)}.v8` };
}

/** A short name for a string (not a checksum: V8 checks the flags itself). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A command's cache file: read whole or not at all, written atomically, replacing the older ones of its prefix. */
export class CodeCache {
  readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly name: { prefix: string; file: string },
  ) {
    this.file = join(dir, name.file);
  }

  read(): Buffer | null {
    try {
      return statSync(this.file).size > 0 ? readFileSync(this.file) : null;
    } catch {
      return null;
    }
  }

  /** Null when written, else why not (the cache only saves time: a failure never fails the command). */
  write(data: Buffer): string | null {
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, data);
      renameSync(temp, this.file);
      for (const f of readdirSync(this.dir)) {
        if (f !== this.name.file && f.startsWith(this.name.prefix) && f.endsWith('.v8')) unlinkSync(join(this.dir, f));
      }
      return null;
    } catch (e) {
      try {
        unlinkSync(temp);
      } catch {
        // Never created.
      }
      return (e as Error).message;
    }
  }
}
