import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { AccountPage } from '../features/auth/components/AccountPage.tsx';
import { LoginPage } from '../features/auth/components/LoginPage.tsx';
import { UserMenu } from '../features/auth/components/UserMenu.tsx';
import { UsersPage } from '../features/auth/components/UsersPage.tsx';
import { authKeys, meQueryOptions } from '../features/auth/queries.ts';
import { HealthCard } from '../features/health/components/HealthCard.tsx';
import { useApplyTheme } from '../features/preferences/apply-theme.ts';
import { ThemeSwitch } from '../features/preferences/components/ThemeSwitch.tsx';
import { ProjectPage } from '../features/project/components/ProjectPage.tsx';
import { ProjectsPage } from '../features/projects/components/ProjectsPage.tsx';
import { onSessionEnded } from '../lib/api.ts';
import { Link, matchPath, usePathname } from '../lib/router.tsx';
import { Loading } from '../lib/ui.tsx';

/**
 * The dashboard shell: signed out, every path shows the sign-in page (and stays the path, so a deep
 * link works after signing in); signed in, the header and the page the path names.
 */
export function App() {
  useApplyTheme();
  const client = useQueryClient();
  const me = useQuery(meQueryOptions());
  const pathname = usePathname();

  useEffect(() => onSessionEnded(() => client.setQueryData(authKeys.me, null)), [client]);
  useEffect(() => {
    // Nothing of the previous session may be shown to the next one.
    if (me.data === null) client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
  }, [client, me.data]);

  const header = (
    <header className="app-header">
      <div className="container app-header-inner">
        <Link className="wordmark" href="/">
          <LogoMark />
          <span>Sitewright</span>
        </Link>
        <div className="app-header-actions">
          <ThemeSwitch />
          {me.data ? <UserMenu user={me.data} /> : null}
        </div>
      </div>
    </header>
  );

  if (me.isPending) {
    return (
      <>
        {header}
        <main className="container app-main">
          <Loading label="Loading…" />
        </main>
      </>
    );
  }
  if (!me.data) {
    return (
      <>
        {header}
        <main className="container app-main">
          <LoginPage />
        </main>
      </>
    );
  }

  const project = matchPath('/projects/:id', pathname);
  let page: ReactNode;
  if (project?.id) page = <ProjectPage key={project.id} projectId={project.id} />;
  else if (pathname === '/account') page = <AccountPage user={me.data} />;
  else if (pathname === '/admin/users' && me.data.role === 'admin')
    page = <UsersPage currentUser={me.data} />;
  else if (pathname === '/status')
    page = (
      <>
        <div className="page-heading">
          <h1>System status</h1>
          <p>Whether the server and its database are working.</p>
        </div>
        <div className="card-grid">
          <HealthCard />
        </div>
      </>
    );
  else if (pathname === '/' || pathname === '/projects') page = <ProjectsPage user={me.data} />;
  else
    page = (
      <div className="page-heading">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <Link href="/">Go to your projects</Link>.
        </p>
      </div>
    );

  return (
    <>
      {header}
      <main className={project ? 'app-main app-main-wide' : 'container app-main'}>{page}</main>
    </>
  );
}

function LogoMark() {
  return (
    <svg
      className="wordmark-mark"
      viewBox="0 0 32 32"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <rect x="7" y="8" width="18" height="3" rx="1.5" fill="#fff" />
      <rect x="7" y="14.5" width="12" height="3" rx="1.5" fill="#fff" opacity="0.85" />
      <rect x="7" y="21" width="15" height="3" rx="1.5" fill="#fff" opacity="0.7" />
    </svg>
  );
}
