import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GreenLensError } from '../contract/shared/errors';

/** Where Chromium is looked for when GREENLENS_CHROMIUM is not set. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** A print that takes longer than this is stopped: Chromium is stuck, not slow. */
const PRINT_TIMEOUT_MS = 120_000;

/** The Chromium to print with: GREENLENS_CHROMIUM, else /usr/bin/chromium; a clear error when neither exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.GREENLENS_CHROMIUM;
  const candidate = named && named.length > 0 ? named : DEFAULT_CHROMIUM;
  if (existsSync(candidate)) return candidate;
  throw new GreenLensError(
    'unsupported',
    named
      ? `GREENLENS_CHROMIUM names ${named}, which does not exist: a PDF report needs Chromium.`
      : `No Chromium at ${DEFAULT_CHROMIUM}: a PDF report needs Chromium.`,
    {
      hint: 'Install Chromium or set GREENLENS_CHROMIUM to its path, or write the report as .html (any browser prints it to PDF).',
    },
  );
}

/**
 * Prints an HTML file to PDF with headless Chromium (`--print-to-pdf`), into a
 * temp file beside the target renamed into place, so a failed print never
 * leaves half a PDF. Its own throwaway profile, so a running browser's lock
 * does not get in the way.
 */
export async function printPdf(chromium: string, htmlPath: string, pdfPath: string): Promise<number> {
  const profile = await mkdtemp(join(tmpdir(), 'greenlens-chromium-'));
  const tmp = join(dirname(pdfPath), `.tmp-${process.pid}-${Date.now()}.pdf`);
  try {
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${tmp}`,
      pathToFileURL(htmlPath).href,
    ];
    // Chromium refuses to run as root without this; as another user it is not needed and not given.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    const { code, stderr } = await run(chromium, args);
    const made = await stat(tmp).catch(() => null);
    if (code !== 0 || !made || made.size === 0) {
      throw new GreenLensError('internal', `Chromium (${chromium}) did not print the PDF (exit ${code}): ${lastLines(stderr)}`, {
        file: pdfPath,
      });
    }
    await rename(tmp, pdfPath);
    return made.size;
  } finally {
    await rm(tmp, { force: true });
    await rm(profile, { recursive: true, force: true });
  }
}

async function run(cmd: string, args: string[]): Promise<{ code: number; stderr: string }> {
  // Loaded here: node:child_process (with node:net and node:dgram) would add to every command's start-up.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PRINT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GreenLensError('unsupported', `Could not start Chromium (${cmd}): ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stderr });
    });
  });
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' | ') || 'no message';
}
