import { useEffect, useState, type JSX } from 'react';
import type { MeResponse, SetupStatus } from '../shared/api/index';
import { api, setShareToken } from './api';
import { storedGuestName } from './identity';
import { clientUpdate } from './client-update';
import { useStoreField } from './collab/store';
import { navigate, parseRoute, useLocationKey } from './router';
import { AppLink } from './AppLink';
import { useTheme, type ThemeChoice } from './theme';
import { DocPage } from './pages/DocPage';
import { InvitePage, LoginPage, ResetPasswordPage, SetupPage } from './pages/AuthPages';
import { AccountPage } from './pages/AccountPage';
import { MembersPage } from './pages/MembersPage';
import { MeetingsPage } from './pages/MeetingsPage';
import { NewMeetingPage } from './pages/NewMeetingPage';
import { EditMeetingPage } from './pages/EditMeetingPage';
import { ProposalsPage } from './pages/ProposalsPage';
import { MeetingPage } from './pages/MeetingPage';
import { ActionsPage } from './pages/ActionsPage';
import { SearchPage, searchHref } from './pages/SearchPage';
import { ImportPage } from './pages/ImportPage';

export type Me = MeResponse | null;

/** Loads who we are (and whether the first admin still has to be created) once per navigation. */
function useMe(key: string): { me: Me; setupNeeded: boolean; loaded: boolean; refresh: () => void } {
  const [tick, setTick] = useState(0);
  const request = `${key}#${tick}`;
  // The answer remembers which request it answers: a stale one never counts as loaded, so no
  // redirect can act on the previous page's answer.
  const [state, setState] = useState<{ me: Me; setupNeeded: boolean; request: string | null }>({ me: null, setupNeeded: false, request: null });
  useEffect(() => {
    let live = true;
    void (async () => {
      const me = await api<MeResponse>('GET', '/api/me').catch(() => null);
      const setup = me ? { needed: false } : await api<SetupStatus>('GET', '/api/setup').catch(() => ({ needed: false }));
      if (live) setState({ me, setupNeeded: setup.needed, request });
    })();
    return () => {
      live = false;
    };
  }, [request]);
  return { me: state.me, setupNeeded: state.setupNeeded, loaded: state.request === request, refresh: () => setTick((t) => t + 1) };
}

export function App(): JSX.Element {
  const key = useLocationKey();
  const route = parseRoute(location);
  // A share link's token authenticates every API call of its page (sent as Bearer), /api/me included.
  setShareToken(route.page === 'meeting' || route.page === 'proposals' || route.page === 'search' ? route.token : null);
  // Pages reached by share link or open document do not need an account.
  const needsAccount = route.page === 'meetings' || route.page === 'new-meeting' || route.page === 'import' || route.page === 'actions' || route.page === 'members' || route.page === 'account' || route.page === 'edit-meeting' || (route.page === 'search' && !route.token);
  const { me, setupNeeded, loaded, refresh } = useMe(route.page === 'meeting' || route.page === 'proposals' ? `meeting:${route.token ?? ''}` : route.page);

  useEffect(() => {
    if (!loaded || !needsAccount) return;
    if (setupNeeded) navigate('/setup', { replace: true });
    else if (!me || me.kind !== 'member') navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  }, [loaded, needsAccount, setupNeeded, me, key]);

  let page: JSX.Element;
  switch (route.page) {
    case 'doc':
      page = <DocPage name={route.name} role={route.role} />;
      break;
    case 'setup':
      page = <SetupPage onDone={refresh} />;
      break;
    case 'login':
      page = <LoginPage onDone={refresh} setupNeeded={setupNeeded} />;
      break;
    case 'meetings':
      page = loaded && me?.kind === 'member' ? <MeetingsPage me={me.user} initialSeries={route.series ?? ''} /> : <Loading />;
      break;
    case 'actions':
      page = loaded && me?.kind === 'member' ? <ActionsPage /> : <Loading />;
      break;
    case 'proposals':
      page = loaded ? <ProposalsPage id={route.id} token={route.token} memberName={me?.kind === 'member' ? me.user.name : null} /> : <Loading />;
      break;
    case 'edit-meeting':
      page = loaded && me?.kind === 'member' ? <EditMeetingPage id={route.id} /> : <Loading />;
      break;
    case 'members':
      page = loaded && me?.kind === 'member' ? <MembersPage me={me.user} /> : <Loading />;
      break;
    case 'invite':
      page = <InvitePage token={route.token} onDone={refresh} />;
      break;
    case 'reset-password':
      page = <ResetPasswordPage token={route.token} onDone={refresh} />;
      break;
    case 'account':
      // Not unmounted while `me` is read again after a change: the page says what it changed.
      page = me?.kind === 'member' ? <AccountPage me={me.user} onChanged={refresh} /> : <Loading />;
      break;
    case 'new-meeting':
      page = loaded && me?.kind === 'member' ? <NewMeetingPage key={route.after ?? ''} after={route.after} /> : <Loading />;
      break;
    case 'import':
      page = loaded && me?.kind === 'member' ? <ImportPage /> : <Loading />;
      break;
    case 'search':
      page = loaded && me ? <SearchPage q={route.q} token={route.token} series={route.series} from={route.from} to={route.to} /> : <Loading />;
      break;
    case 'meeting':
      page = loaded ? <MeetingPage key={route.id} id={route.id} token={route.token} sessionParam={route.session} itemParam={route.item} actionParam={route.action} me={me} /> : <Loading />;
      break;
    default:
      page = (
        <div className="center-card">
          <div className="card">
            <h1>Not found</h1>
            <p>
              <a href="/">Back to the meetings</a>
            </p>
          </div>
        </div>
      );
  }
  return (
    <>
      <UpdateBanner />
      <TopBar
        me={me}
        onSignedOut={refresh}
        hidden={route.page === 'login' || route.page === 'setup' || route.page === 'invite' || route.page === 'reset-password'}
        token={route.page === 'meeting' || route.page === 'proposals' || route.page === 'search' ? route.token : null}
        query={route.page === 'search' ? route.q : ''}
      />
      {page}
    </>
  );
}

/** Shown once the server serves a newer client than this page (client-update.ts). */
function UpdateBanner(): JSX.Element | null {
  const available = useStoreField(clientUpdate, 'available');
  if (!available) return null;
  return (
    <div className="update-banner" role="status">
      Quorum has been updated.{' '}
      <button type="button" className="small-button" onClick={() => location.reload()}>
        Reload
      </button>{' '}
      <span className="muted">to get the new version (your notes are kept).</span>
    </div>
  );
}

function Loading(): JSX.Element {
  return (
    <div className="loading" aria-busy="true">
      Loading…
    </div>
  );
}

function TopBar({ me, onSignedOut, hidden, token, query }: { me: Me; onSignedOut: () => void; hidden: boolean; token: string | null; query: string }): JSX.Element | null {
  if (hidden) return null;
  return (
    <nav className="topbar" aria-label="Main">
      <AppLink to="/" className="brand">
        <span className="brand-dot" aria-hidden="true" />
        Quorum
      </AppLink>
      {me?.kind === 'member' && (
        <>
          <NavLink to="/">Meetings</NavLink>
          <NavLink to="/actions">Actions</NavLink>
          {me.user.role === 'admin' && <NavLink to="/members">Members</NavLink>}
        </>
      )}
      <span className="topbar-spacer" />
      {(me?.kind === 'member' || me?.kind === 'guest') && <SearchBox key={query} initial={query} token={token} />}
      <ThemeButton />
      {me?.kind === 'member' && (
        <>
          <AppLink to="/account" className="muted topbar-user" title="Your account: name and password">
            {me.user.name}
          </AppLink>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              void api('POST', '/api/logout').finally(() => {
                onSignedOut();
                navigate('/login');
              });
            }}
          >
            Sign out
          </button>
        </>
      )}
      {me?.kind === 'guest' && (
        <span className="muted">
          {storedGuestName() ?? 'Guest'} · {me.link.role === 'notetaker' ? 'edit link' : 'view link'}
        </span>
      )}
    </nav>
  );
}

const THEMES: Record<ThemeChoice, { icon: string; label: string; next: ThemeChoice }> = {
  system: { icon: '◐', label: 'as the system', next: 'dark' },
  dark: { icon: '☾', label: 'dark', next: 'light' },
  light: { icon: '☀', label: 'light', next: 'system' },
};

/** The theme, one press to the next: as the system, dark, light. */
function ThemeButton(): JSX.Element {
  const [choice, choose] = useTheme();
  const { icon, label, next } = THEMES[choice];
  const name = `Theme: ${label}. Switch to ${THEMES[next].label}`;
  return (
    <button type="button" className="link-button theme-button" aria-label={name} title={name} onClick={() => choose(next)}>
      <span aria-hidden="true">{icon}</span>
    </button>
  );
}

/** On every page: searches every meeting for a member, the link's meeting for a guest. */
function SearchBox({ initial, token }: { initial: string; token: string | null }): JSX.Element {
  const [q, setQ] = useState(initial);
  return (
    <form
      role="search"
      className="topbar-search"
      onSubmit={(event) => {
        event.preventDefault();
        if (q.trim() !== '') navigate(searchHref(q.trim(), token));
      }}
    >
      <input type="search" aria-label={token ? 'Search this meeting' : 'Search all meetings'} placeholder={token ? 'Search this meeting' : 'Search meetings'} value={q} onChange={(e) => setQ(e.target.value)} />
    </form>
  );
}

function NavLink({ to, children }: { to: string; children: string }): JSX.Element {
  const current = to === '/' ? location.pathname === '/' || location.pathname.startsWith('/m/') : location.pathname.startsWith(to);
  return (
    <AppLink to={to} className="nav-link" aria-current={current ? 'page' : undefined}>
      {children}
    </AppLink>
  );
}
