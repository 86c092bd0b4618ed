import type { OpInput } from '../../../src-main/contract';
import { useApp } from '../state/store';
import { bridge, call } from './client';

/** Ops whose output is a file the user saves, and the input field naming it (as web/download-route.ts lists them). */
type FileOp = 'report.build' | 'model.score' | 'predictions.export';
const FIELD = { 'report.build': 'path', 'model.score': 'out', 'predictions.export': 'path' } as const;

/**
 * Saves what `op` writes: in the desktop app a save dialog names the file and
 * the op writes it there; in web mode the host writes it privately and the
 * browser downloads it. Resolves false when cancelled or failed (the error is shown).
 */
export async function saveFile<K extends FileOp>(op: K, input: Omit<OpInput<K>, 'path' | 'out'>, name: string): Promise<boolean> {
  const label = `Saving ${name}`;
  try {
    if (bridge.kind === 'web') {
      if (!bridge.download) throw new Error('This transport cannot download files.');
      await bridge.download(op, input, name);
      return true;
    }
    const { path } = await call('dialog.pick', { kind: name.endsWith('.html') ? 'report' : 'csv', mode: 'save', defaultName: name });
    if (!path) return false;
    await call(op, { ...input, [FIELD[op]]: path } as OpInput<K>);
    return true;
  } catch (error) {
    useApp.getState().showError(label, error);
    return false;
  }
}
