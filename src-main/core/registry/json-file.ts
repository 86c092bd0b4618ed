import { promises as fs } from 'node:fs';
import type { z } from 'zod';
import { GreenLensError } from '../../contract/shared/errors';

/** A registry JSON file's text checked against its schema; an error names the file and the field. */
export function parseJsonFile<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GreenLensError('corrupt', `${file} is not valid JSON: ${(error as Error).message}.`, { file });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GreenLensError('corrupt', `${file}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}.`, { file });
  }
  return parsed.data;
}

/** The file parsed by `parse`, or `empty()` when it does not exist yet. */
export async function readJsonFile<T>(file: string, parse: (text: string, file: string) => T, empty: () => T): Promise<T> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? empty() : parse(text, file);
}
