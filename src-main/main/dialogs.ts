import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { OpArgs } from '../contract';
import { ARCHIVE_EXTENSION } from '../contract/shared/registry';

/** Dialog filters take extensions without the dot. */
const archiveExt = ARCHIVE_EXTENSION.slice(1);

const FILTERS = {
  registry: [{ name: 'GreenLens registry', extensions: ['json', archiveExt] }],
  csv: [
    { name: 'CSV files', extensions: ['csv', 'txt', 'tsv'] },
    { name: 'Parquet files', extensions: ['parquet', 'parq'] },
    { name: 'All files', extensions: ['*'] },
  ],
  archive: [{ name: 'GreenLens archive', extensions: [archiveExt] }],
  report: [{ name: 'HTML report', extensions: ['html'] }],
};

/** Native open/save dialogs with the filters and folder rules each kind needs. */
export async function pickPath(win: BrowserWindow | null, args: OpArgs<'dialog.pick'>): Promise<{ path: string | null }> {
  if (args.mode === 'save') {
    const r = await (win
      ? dialog.showSaveDialog(win, { defaultPath: args.defaultName, filters: FILTERS[args.kind] })
      : dialog.showSaveDialog({ defaultPath: args.defaultName, filters: FILTERS[args.kind] }));
    return { path: r.canceled ? null : (r.filePath ?? null) };
  }
  const options: OpenDialogOptions = {
    title: args.kind === 'registry' ? 'Open Registry' : args.kind === 'csv' ? 'Import CSV' : 'Import archive',
    properties: args.kind === 'registry' ? ['openDirectory', 'openFile', 'createDirectory'] : ['openFile'],
    filters: FILTERS[args.kind],
  };
  const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
  return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
}
