import { TABS, useApp } from '../state/store';

/**
 * Ctrl/Cmd+1…7 switch tabs, as the View menu does in the desktop app; web
 * mode has no menu, so the renderer listens itself.
 */
export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const index = Number(e.key) - 1;
    if (Number.isInteger(index) && index >= 0 && index < TABS.length) {
      e.preventDefault();
      useApp.getState().setTab(TABS[index]!);
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
