import { HealthCard } from '../features/health/components/HealthCard.tsx';
import { useApplyTheme } from '../features/preferences/apply-theme.ts';
import { ThemeSwitch } from '../features/preferences/components/ThemeSwitch.tsx';

/**
 * The dashboard shell. Every path renders it (the API serves index.html for deep links); routes arrive
 * with the first feature that needs one.
 */
export function App() {
  useApplyTheme();

  return (
    <>
      <header className="app-header">
        <div className="container app-header-inner">
          <a className="wordmark" href="/">
            <LogoMark />
            <span>Sitewright</span>
          </a>
          <ThemeSwitch />
        </div>
      </header>
      <main className="container app-main">
        <div className="page-heading">
          <h1>Dashboard</h1>
          <p>
            Sitewright builds and runs your website. This page shows whether everything behind it is working.
          </p>
        </div>
        <div className="card-grid">
          <HealthCard />
        </div>
      </main>
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
