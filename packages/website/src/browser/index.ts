/** Headless-browser checks of a built site: a local static server, a shared Chromium, the check itself. */
export type { AxeImpact, AxeViolation } from './axe.ts';
export {
  type BrowserCheckOptions,
  type BrowserCheckResult,
  type CheckResultEntry,
  DEFAULT_CHECK_TIMEOUT_MS,
  runBrowserCheck,
  VIEWPORTS,
  type ViewportName,
} from './check.ts';
export {
  type BrowserPool,
  type BrowserPoolOptions,
  type BrowserPoolStatus,
  BrowserUnavailableError,
  CHROMIUM_ARGS,
  createBrowserPool,
  type IsolatedContext,
  type IsolatedContextOptions,
} from './pool.ts';
export type { BrowserAssertion } from './probes.ts';
export { contentTypeOf, type SiteServer, serveSite } from './static-server.ts';
