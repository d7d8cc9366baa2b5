/** The shell: header with the profile menu, navigation, and the page for the current path. */
import { useState } from 'preact/hooks';
import { api, type ApiError, asApiError, unwrap } from './api.js';
import { AuditPage } from './pages/Audit.js';
import { ChannelPage, ChannelsPage } from './pages/Channels.js';
import { CommandsPage } from './pages/Commands.js';
import { JobPage, JobsPage } from './pages/Jobs.js';
import { GetTokenDialog } from './pages/GetToken.js';
import { LoginPage } from './pages/Login.js';
import { TokensPage } from './pages/Tokens.js';
import { UsersPage } from './pages/Users.js';
import { RolesPage } from './pages/Roles.js';
import { WebhookPage, WebhooksPage } from './pages/Webhooks.js';
import { Link, Router, useRoute } from './router.js';
import { SessionProvider, useSession } from './session.js';
import { Badge } from './ui/Badge.js';
import { ErrorText } from './ui/ErrorText.js';
import { Menu } from './ui/Menu.js';
import { PageHead } from './ui/Page.js';

function Forbidden() {
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Admins only" />
      <div class="empty"><p class="empty-title">This page is for administrators.</p><p><Link href="/tokens">Back to your tokens</Link></p></div>
    </section>
  );
}

function NotFound() {
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Page not found" />
      <div class="empty"><p><Link href="/tokens">Go to your tokens</Link></p></div>
    </section>
  );
}

function Page() {
  const { path } = useRoute();
  const { isAdmin } = useSession();
  const admin = (el: preact.JSX.Element) => (isAdmin ? el : <Forbidden />);
  const seg = path.split('/').slice(1).map(decodeURIComponent);
  switch (seg[0]) {
    case '': case 'tokens': return <TokensPage scope="mine" />;
    case 'commands': return <CommandsPage />;
    case 'jobs': return seg[1] ? <JobPage id={seg[1]} /> : <JobsPage />;
    case 'channels': return seg[1] ? <ChannelPage name={seg[1]} /> : <ChannelsPage />;
    case 'admin':
      switch (seg[1]) {
        case 'users': return admin(<UsersPage />);
        case 'tokens': return admin(<TokensPage scope="all" key="all" />);
        case 'service-tokens': return admin(<TokensPage scope="service" key="service" />);
        case 'audit': return admin(<AuditPage />);
        case 'roles': return admin(<RolesPage />);
        case 'webhooks': return admin(seg[2] ? <WebhookPage id={seg[2]} /> : <WebhooksPage />);
        default: return <NotFound />;
      }
    default: return <NotFound />;
  }
}

function Shell() {
  const session = useSession();
  const { navigate } = useRoute();
  const [getToken, setGetToken] = useState(false);
  const me = session.me!;
  const name = me.user?.username ?? 'admin';
  const [logoutError, setLogoutError] = useState<ApiError | null>(null);
  const logout = async () => {
    setLogoutError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/logout'));
    } catch (e) {
      const err = asApiError(e);
      // Not logged out (the server unreachable, or failing): say so, and stay — the session still works.
      if (err.code !== 'SESSION_INVALID' && err.code !== 'UNAUTHENTICATED') { setLogoutError(err); return; }
    }
    session.setMe(null);
    navigate('/tokens', true);
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <Link href="/tokens" class="brand"><img src="/favicon.svg" alt="" width={24} height={24} /> Tessera</Link>
        <Menu label={`Account: ${name}`} class="profile" button={<><span class="avatar" aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span><span class="profile-name">{name}</span><span aria-hidden="true"> ▾</span></>}
          items={[
            { label: 'Get token…', onSelect: () => setGetToken(true) },
            { label: 'API documentation', href: '/docs', onSelect: () => undefined },
            { label: 'Log out', onSelect: () => void logout(), hidden: session.singleUser },
          ]} />
      </header>
      <div class="layout">
        <nav class="sidenav" aria-label="Main">
          <ul>
            <li><Link href="/tokens">Access tokens</Link></li>
            <li><Link href="/commands">Commands</Link></li>
            <li><Link href="/jobs">Jobs</Link></li>
            <li><Link href="/channels">Channels</Link></li>
          </ul>
          {session.isAdmin && (
            <>
              <h2 class="nav-title" id="nav-admin">Admin</h2>
              <ul aria-labelledby="nav-admin">
                <li><Link href="/admin/users">Users</Link></li>
                <li><Link href="/admin/tokens">All tokens</Link></li>
                <li><Link href="/admin/service-tokens">Service tokens</Link></li>
                <li><Link href="/admin/roles">Roles</Link></li>
                <li><Link href="/admin/webhooks">Webhooks</Link></li>
                <li><Link href="/admin/audit">Audit log</Link></li>
              </ul>
            </>
          )}
          <ul class="nav-foot"><li><a href="/docs">API docs</a></li></ul>
        </nav>
        <main id="main" class="content">
          {session.singleUser && <p class="banner" role="note">Single-user mode: no login is needed and every request acts as <Badge tone="admin">admin</Badge>.</p>}
          {logoutError && <div class="banner" role="alert"><p>You are still logged in: the session could not be ended.</p><ErrorText error={logoutError} /></div>}
          <Page />
        </main>
      </div>
      {getToken && <GetTokenDialog username={name} onClose={() => setGetToken(false)} />}
    </div>
  );
}

function Root() {
  const session = useSession();
  if (session.loading) return <p class="boot" role="status">Loading…</p>;
  if (session.error) return <main class="login" id="main"><div class="login-card"><h1>Tessera</h1><ErrorText error={session.error} /><button type="button" class="button" onClick={() => void session.reload()}>Try again</button></div></main>;
  if (!session.me) return <LoginPage />;
  return <Shell />;
}

export function App() {
  return (
    <Router>
      <SessionProvider>
        <Root />
      </SessionProvider>
    </Router>
  );
}
