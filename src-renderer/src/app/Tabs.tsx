import { useRef, type KeyboardEvent } from 'react';
import { TABS, useApp, type TabId } from '../state/store';

export const TAB_LABELS: Record<TabId, string> = {
  overview: 'Overview',
  data: 'Data',
  drift: 'Drift',
  performance: 'Performance',
  models: 'Models',
  automation: 'Automation',
  dashboards: 'Dashboards',
  settings: 'Settings',
  alerts: 'Alerts',
};

/** ARIA tabs: arrow keys, Home and End move between tabs (roving tabindex). */
export function TabBar() {
  const tab = useApp((s) => s.tab);
  const setTab = useApp((s) => s.setTab);
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const move = (e: KeyboardEvent, index: number): void => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const id = TABS[next]!;
    setTab(id);
    refs.current[id]?.focus();
  };
  return (
    <nav className="tabbar" role="tablist" aria-label="Views">
      {TABS.map((id, i) => (
        <button
          key={id}
          ref={(el) => {
            refs.current[id] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${id}`}
          aria-selected={tab === id}
          aria-controls={`panel-${id}`}
          tabIndex={tab === id ? 0 : -1}
          className="tab"
          onClick={() => setTab(id)}
          onKeyDown={(e) => move(e, i)}
        >
          {TAB_LABELS[id]}
        </button>
      ))}
    </nav>
  );
}
