/**
 * Readers shared by the model-file loaders (forest, scaler, artifact). Each
 * loader has its own `fail`, so an error names the kind of file it is about.
 */
export type Fail = (message: string) => never;

export function failWith(prefix: string): Fail {
  return (message) => {
    throw new Error(`${prefix}: ${message}`);
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function onlyKeys(v: Record<string, unknown>, allowed: readonly string[], where: string, fail: Fail): void {
  const extra = Object.keys(v).filter((k) => !allowed.includes(k));
  if (extra.length) fail(`${where} has unknown field ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
}

/** A loader accepts the value or its JSON text; this is the value, parsed when needed. */
export function parsedJson(json: unknown, fail: Fail): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    return fail(`not JSON (${(err as Error).message})`);
  }
}
