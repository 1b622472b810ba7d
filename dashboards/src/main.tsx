/** The web UI: sign-in, then the page the hash route names, under one header. */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, session } from './api.js';
import { AgentsPage } from './pages/agents.js';
import { AlarmsPage } from './pages/alarms.js';
import { DevicePage } from './pages/device.js';
import { FleetPage } from './pages/fleet.js';
import { LoginPage } from './pages/login.js';
import { ReleasesPage } from './pages/releases.js';
import { ReportsPage } from './pages/reports.js';
import { SitePage } from './pages/site.js';
import { TicketsPage } from './pages/tickets.js';
import { href, useRoute } from './router.js';
import './styles.css';

const NAV: { page: string; label: string; staff?: boolean }[] = [
  { page: 'fleet', label: 'Fleet' },
  { page: 'alarms', label: 'Alarms' },
  { page: 'tickets', label: 'Tickets' },
  { page: 'reports', label: 'Reports' },
  { page: 'releases', label: 'Releases', staff: true },
  { page: 'agents', label: 'Agents', staff: true },
];

function useSession() {
  const [s, setS] = useState(session.get());
  useEffect(() => session.subscribe(() => setS(session.get())), []);
  return s;
}

function Content() {
  const route = useRoute();
  switch (route.page) {
    case 'sites':
      return route.id === undefined ? <FleetPage /> : <SitePage id={route.id} />;
    case 'devices':
      return <DevicePage id={Number(route.id)} />;
    case 'alarms':
      return <AlarmsPage />;
    case 'tickets':
      return <TicketsPage />;
    case 'reports':
      return <ReportsPage />;
    case 'releases':
      return <ReleasesPage />;
    case 'agents':
      return <AgentsPage />;
    default:
      return <FleetPage />;
  }
}

/** After moving to another page, focus lands on the page (screen readers announce it). */
function useFocusOnNavigate(key: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [key]);
}

function App() {
  const s = useSession();
  const route = useRoute();
  useFocusOnNavigate(`${route.page}/${route.id ?? ''}`);
  if (s === null) return <LoginPage />;
  const signOut = async (): Promise<void> => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    session.set(null);
  };
  const current = route.page === 'sites' || route.page === 'devices' ? 'fleet' : route.page;
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href={href('fleet')}>ledwatch</a>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => !n.staff || s.user.role !== 'customer').map((n) => (
              <li key={n.page}>
                <a href={href(n.page)} aria-current={current === n.page ? 'page' : undefined}>{n.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span title={s.user.email}>{s.user.name} <span class="muted-inv">({s.user.role})</span></span>
          <button type="button" class="link-btn" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Content />
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
