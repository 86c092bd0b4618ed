import { useEffect } from 'react';
import { ErrorBanners } from '../components/ErrorBanners';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { JobTray } from '../components/Jobs';
import { connectEvents, refreshDatasets, refreshShell, useApp, type TabId } from '../state/store';
import { AlertsTab } from '../tabs/alerts/AlertsTab';
import { AutomationTab } from '../tabs/automation/AutomationTab';
import { DashboardsTab } from '../tabs/dashboards/DashboardsTab';
import { DataTab } from '../tabs/data/DataTab';
import { DriftTab } from '../tabs/drift/DriftTab';
import { ModelsTab } from '../tabs/models/ModelsTab';
import { OverviewTab } from '../tabs/overview/OverviewTab';
import { PerformanceTab } from '../tabs/performance/PerformanceTab';
import { SettingsTab } from '../tabs/settings/SettingsTab';
import { connectAlerts } from '../state/alerts';
import { connectRegistry } from '../state/registry';
import { Header } from './Header';
import { RegistryDrop } from './RegistryDrop';
import { installShortcuts } from './shortcuts';
import { TAB_LABELS, TabBar } from './Tabs';

const VIEWS: Record<TabId, () => React.JSX.Element> = {
  overview: OverviewTab,
  data: DataTab,
  drift: DriftTab,
  performance: PerformanceTab,
  models: ModelsTab,
  automation: AutomationTab,
  dashboards: DashboardsTab,
  settings: SettingsTab,
  alerts: AlertsTab,
};

export function App() {
  const tab = useApp((s) => s.tab);
  const theme = useApp((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const off = connectEvents();
    const offKeys = installShortcuts();
    const offRegistry = connectRegistry();
    const offAlerts = connectAlerts();
    void refreshShell();
    void refreshDatasets();
    return () => {
      off();
      offKeys();
      offRegistry();
      offAlerts();
    };
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const View = VIEWS[tab];
  return (
    <div className="app">
      <Header />
      <TabBar />
      <JobTray />
      <ErrorBanners />
      <RegistryDrop />
      <main id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="content" tabIndex={0}>
        {/* Keyed by tab: switching away from a tab that failed to draw clears the error. */}
        <ErrorBoundary key={tab} what={`The ${TAB_LABELS[tab]} tab`}>
          <View />
        </ErrorBoundary>
      </main>
    </div>
  );
}
