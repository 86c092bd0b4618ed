import { BrowserWindow, dialog } from 'electron';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What File ▸ Export Report… needs from the rest of main. */
export interface ReportExportDeps {
  win: BrowserWindow | null;
  /** Writes the HTML report (the worker's report.build) and resolves with its path. */
  buildHtml(path: string): Promise<{ path: string; bytes: number }>;
  /** Folder for the intermediate HTML of a PDF. */
  tempDir?: string;
}

/**
 * File ▸ Export Report…: a save dialog for .html or .pdf. HTML is the worker's
 * file as is; a PDF is that file printed by Chromium's own `printToPDF` in a
 * hidden window with JavaScript off (the report has none), so the app needs no
 * other browser. The PDF goes to a temp file renamed into place.
 */
export async function exportReport(deps: ReportExportDeps): Promise<string | null> {
  const options = {
    defaultPath: 'greenlens-report.html',
    filters: [
      { name: 'HTML report', extensions: ['html'] },
      { name: 'PDF report', extensions: ['pdf'] },
    ],
  };
  const picked = await (deps.win ? dialog.showSaveDialog(deps.win, options) : dialog.showSaveDialog(options));
  if (picked.canceled || !picked.filePath) return null;
  const target = picked.filePath;
  try {
    if (!target.toLowerCase().endsWith('.pdf')) {
      await deps.buildHtml(/\.html?$/i.test(target) ? target : `${target}.html`);
      return target;
    }
    await printReportPdf(deps, target);
    return target;
  } catch (error) {
    dialog.showErrorBox('Could not export the report', error instanceof Error ? error.message : String(error));
    return null;
  }
}

async function printReportPdf(deps: ReportExportDeps, target: string): Promise<void> {
  const scratch = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'greenlens-report-'));
  const printer = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    const html = await deps.buildHtml(join(scratch, 'report.html'));
    await printer.loadFile(html.path);
    const pdf = await printer.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    const tmp = join(dirname(target), `.tmp-${process.pid}-${Date.now()}.pdf`);
    try {
      await writeFile(tmp, pdf);
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  } finally {
    printer.destroy();
    await rm(scratch, { recursive: true, force: true });
  }
}
