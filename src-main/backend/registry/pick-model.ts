import { GreenLensError } from '../../contract';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import type { Registry } from '../../core/registry';

/**
 * The model an operation works on when the caller named none: the only model
 * of the registry; in an empty registry the default name (which lists as "no
 * model yet"); with several, an error naming them — guessing one is how the
 * Overview came to watch `energy-anomaly` while every prediction was logged
 * for another model.
 */
export async function pickModel(registry: Registry, requested: string | undefined): Promise<string> {
  if (requested !== undefined) return requested;
  const names = (await registry.listModels()).map((m) => m.name);
  if (names.length === 0) return DEFAULT_MODEL;
  if (names.length === 1) return names[0]!;
  throw new GreenLensError('invalid_input', `The registry has ${names.length} models (${names.join(', ')}): name the one you mean.`, {
    field: 'model',
    file: registry.dir,
    hint: 'Pass --model NAME (or pick the model on the Models tab).',
  });
}

/** `args` with its model filled in by pickModel. */
export async function withModel<T extends { model?: string | undefined }>(registry: Registry, args: T): Promise<T & { model: string }> {
  return { ...args, model: await pickModel(registry, args.model) };
}

/** Operation arguments after pickModel: the model is always named. */
export type ModelNamed<T> = T & { model: string };
