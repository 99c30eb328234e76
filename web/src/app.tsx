import { useEffect, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './api/client';
import { liveEvents, type StreamStatus } from './api/events';
import { AuthProvider, chooseLocalMode, localModeChosen, useAuth, useMeQuery, useSession } from './auth';
import { Link, match, navigate, useLocation } from './router';
import { ThemeToggle } from './theme';
import { Loading, ErrorNotice } from './ui/states';
import { LoginPage, SetupPage } from './pages/sign-in';
import { DashboardPage } from './pages/dashboard';
import { ServersPage } from './pages/servers';
import { ServerPage } from './pages/server-detail';
import { ServerFormPage } from './pages/server-form';
import { ToolsPage } from './pages/tools';
import { HostedPage, HostedServerPage } from './pages/hosted';
import { HostedToolPage } from './pages/hosted-tool';
import { ApprovalsPage } from './pages/approvals';
import { ActivityPage } from './pages/activity';
import { KeysPage } from './pages/keys';
import { SecretsPage } from './pages/secrets';
import { UsersPage } from './pages/users';
import { SettingsPage } from './pages/settings';
import { TransferPage } from './pages/transfer';
import { ProfilePage, ProfilesPage } from './pages/profiles';
import { TrustPage } from './pages/trust';
import type { Scope } from './api/types';

interface Route {
  pattern: string;
  render: (p: Record<string, string>) => ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/', render: () => <DashboardPage /> },
  { pattern: '/servers', render: () => <ServersPage /> },
  { pattern: '/servers/new', render: () => <ServerFormPage /> },
  { pattern: '/servers/:name/edit', render: (p) => <ServerFormPage name={p['name']} /> },
  { pattern: '/servers/:name', render: (p) => <ServerPage name={p['name']!} /> },
  { pattern: '/tools', render: () => <ToolsPage /> },
  { pattern: '/profiles', render: () => <ProfilesPage /> },
  { pattern: '/profiles/new', render: () => <ProfilePage /> },
  { pattern: '/profiles/:name', render: (p) => <ProfilePage name={p['name']!} /> },
  { pattern: '/hosted', render: () => <HostedPage /> },
  { pattern: '/hosted/:server', render: (p) => <HostedServerPage name={p['server']!} /> },
  { pattern: '/hosted/:server/tools/:id', render: (p) => <HostedToolPage server={p['server']!} id={p['id']!} /> },
  { pattern: '/approvals', render: () => <ApprovalsPage /> },
  { pattern: '/trust', render: () => <TrustPage /> },
  { pattern: '/activity', render: () => <ActivityPage /> },
  { pattern: '/keys', render: () => <KeysPage /> },
  { pattern: '/secrets', render: () => <SecretsPage /> },
  { pattern: '/users', render: () => <UsersPage /> },
  { pattern: '/settings', render: () => <SettingsPage /> },
  { pattern: '/transfer', render: () => <TransferPage /> },
];

const NAV: { to: string; label: string; scope?: Scope }[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/servers', label: 'Servers' },
  { to: '/tools', label: 'Tools' },
  { to: '/profiles', label: 'Profiles' },
  { to: '/hosted', label: 'Hosted tools' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/trust', label: 'Trust review' },
  { to: '/activity', label: 'Activity' },
  { to: '/keys', label: 'API keys' },
  { to: '/secrets', label: 'Secrets' },
  { to: '/users', label: 'Users', scope: 'admin' },
  { to: '/settings', label: 'Settings' },
  { to: '/transfer', label: 'Import / export', scope: 'admin' },
];

/** Top level: first-run setup, sign-in, or the console. */
export function App() {
  const session = useSession();
  const [local, setLocal] = useState(localModeChosen());
  const status = useQuery({ queryKey: ['auth-status'], queryFn: () => api.get('/auth/status'), retry: 1, staleTime: Infinity });
  const signedIn = session !== undefined || local;
  // Asked before setup too: with allowUnauthenticatedLoopback the local operator needs no account.
  const me = useMeQuery(status.data !== undefined);
  const { path } = useLocation();

  if (status.isPending) return <Loading label="Connecting to the gateway…" />;
  if (status.error) return <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />;
  if (me.isPending) return <Loading />;
  const localAvailable = me.data?.kind === 'local';
  const chooseLocal = () => {
    chooseLocalMode(true);
    setLocal(true);
  };
  if (status.data.setup_required && !(local && localAvailable)) {
    return <SetupPage onDone={() => void status.refetch().then(() => navigate('/', { replace: true }))} localAvailable={localAvailable} onLocal={chooseLocal} />;
  }
  if (!signedIn || !me.data || (me.data.kind === 'local' && !local)) {
    if (me.error && !(me.error instanceof ApiError && me.error.status === 401)) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
    return (
      <LoginPage
        onDone={() => navigate(path === '/login' ? '/' : path, { replace: true })}
        localAvailable={localAvailable}
        onLocal={chooseLocal}
      />
    );
  }
  return (
    <AuthProvider me={me.data} onSignedOut={() => setLocal(false)}>
      <Shell />
    </AuthProvider>
  );
}

function useLiveStatus(): StreamStatus {
  const [s, set] = useState<StreamStatus>(liveEvents.status);
  useEffect(() => liveEvents.onStatus(set), []);
  return s;
}

/** Keep server-derived views fresh: the event stream says what changed, queries refetch it. */
function useLiveInvalidation(): void {
  const qc = useQueryClient();
  useEffect(() => {
    liveEvents.start();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const keys = new Set<string>();
    const flush = () => {
      pending = undefined;
      for (const k of keys) void qc.invalidateQueries({ queryKey: [k] });
      keys.clear();
    };
    const off = liveEvents.subscribe((e) => {
      if (e.type.startsWith('servers.') || e.type === 'tools.indexed' || e.type === 'config.reloaded') ['servers', 'server', 'dashboard', 'tools', 'trust'].forEach((k) => keys.add(k));
      if (e.type.startsWith('activity.')) ['dashboard', 'activity-stats'].forEach((k) => keys.add(k));
      if (e.type === 'profiles.changed') keys.add('profiles');
      // Bursts (a bulk restart, a busy client) become one refetch per view.
      pending ??= setTimeout(flush, 400);
    });
    return () => {
      off();
      clearTimeout(pending);
      liveEvents.stop();
    };
  }, [qc]);
}

/** `/` focuses the page's search or filter box, as in most admin tools. */
function useSearchShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      const box = document.querySelector<HTMLInputElement>('[data-search]');
      if (!box) return;
      e.preventDefault();
      box.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function Shell() {
  const { me, can, signOut } = useAuth();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const live = useLiveStatus();
  useLiveInvalidation();
  useEffect(() => setMenuOpen(false), [path]);
  useSearchShortcut();

  let page: ReactNode = (
    <div className="page">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to the dashboard</Link>.
      </p>
    </div>
  );
  for (const r of ROUTES) {
    const params = match(r.pattern, path);
    if (params) {
      page = r.render(params);
      break;
    }
  }
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="icon-btn menu-btn" aria-label="Menu" aria-expanded={menuOpen} aria-controls="sidenav" onClick={() => setMenuOpen((o) => !o)}>
          ☰
        </button>
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} /> Switchboard
        </Link>
        <span className={`live live-${live}`} role="status" title="Live event stream">
          <span className="live-dot" aria-hidden="true" />
          <span className="live-text">{live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting' : 'Offline'}</span>
        </span>
        <span className="spacer" />
        <ThemeToggle />
        <span className="who" title={`Scopes: ${me.scopes.join(', ')}`}>
          {me.kind === 'local' ? 'local operator' : me.name}
          {me.role && <span className="muted"> · {me.role}</span>}
        </span>
        <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
          {me.kind === 'local' ? 'Sign in' : 'Sign out'}
        </button>
      </header>
      <nav id="sidenav" className={`sidenav ${menuOpen ? 'open' : ''}`} aria-label="Main">
        <ul>
          {NAV.filter((n) => !n.scope || can(n.scope)).map((n) => (
            <li key={n.to}>
              <Link to={n.to} aria-current={active(n.to) ? 'page' : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
          <li>
            <a href="/docs" target="_blank" rel="noreferrer">
              API docs ↗
            </a>
          </li>
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {me.kind === 'local' && <div className="banner">Unauthenticated local access: anyone on this machine can do what you can. Create an admin under Users and turn off <code>allowUnauthenticatedLoopback</code> for shared machines.</div>}
        {page}
      </main>
    </div>
  );
}
