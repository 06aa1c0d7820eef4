/**
 * `runBrowserCheck`: load one page of a site in headless Chromium, served by a throwaway local static
 * server, and judge it — the page loads, no console errors or uncaught exceptions, nothing fetched from
 * outside the site, the caller's assertions, internal links, forms and axe accessibility rules — then
 * take a full-page screenshot as evidence. A failing page is a result, never an exception; only an
 * unusable browser (BrowserUnavailableError) or the caller's abort signal throws. The whole check is
 * bounded by `timeoutMs`, so a page that never finishes loading ends as a failed result.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import { type AxeViolation, FAILING_IMPACTS, runAxe } from './axe.ts';
import { evaluateInPage } from './in-page.ts';
import type { BrowserPool, IsolatedContext } from './pool.ts';
import { BrowserUnavailableError } from './pool.ts';
import { type BrowserAssertion, type ProbedForms, type ProbedLink, probeInput, probePage } from './probes.ts';
import { type SiteServer, serveSite } from './static-server.ts';

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  tablet: { width: 768, height: 1024 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;
/** Longest list of console errors, page errors or external requests kept in a result. */
export const MAX_LISTED = 20;
const MAX_MESSAGE_CHARS = 500;

export interface BrowserCheckOptions {
  siteDir: string;
  /** Site path of the page: `/`, `/contact/`, `/menu/#lunch`. */
  page: string;
  viewport?: ViewportName;
  assertions?: BrowserAssertion[];
  /** Every internal link resolves and every same-page `#fragment` names an element. Default true. */
  checkLinks?: boolean;
  /** Every form control is labelled; every form can submit and reaches the business. Default true. */
  forms?: boolean;
  /** axe-core rules; serious or critical violations fail. Default true. */
  axe?: boolean;
  /** Save a full-page PNG into `dir`. Without it no screenshot is taken. */
  screenshot?: { dir: string };
  /** Bound on the whole check. Default 15 s. */
  timeoutMs?: number;
  /** Aborting stops the check and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CheckResultEntry {
  name: string;
  passed: boolean;
  detail: string;
}

export interface BrowserCheckResult {
  passed: boolean;
  page: string;
  viewport: ViewportName;
  results: CheckResultEntry[];
  consoleErrors: string[];
  pageErrors: string[];
  /** Site paths of internal links that do not resolve (or name a missing `#fragment`). */
  brokenLinks: string[];
  axeViolations: AxeViolation[];
  /** URLs outside the site the page tried to load (all aborted). */
  externalRequests: string[];
  /** Absolute path of the PNG, or null when none was taken. */
  screenshot: string | null;
  durationMs: number;
}

/** What a check gathered so far; a timeout reports whatever is here. */
interface Findings {
  phase: string;
  results: CheckResultEntry[];
  consoleErrors: string[];
  pageErrors: string[];
  brokenLinks: string[];
  axeViolations: AxeViolation[];
  externalRequests: string[];
  screenshot: string | null;
}

/** Loads `options.page` of `options.siteDir` in a fresh isolated context and reports what it found. */
export async function runBrowserCheck(
  pool: BrowserPool,
  options: BrowserCheckOptions,
): Promise<BrowserCheckResult> {
  const started = performance.now();
  const page = checkedPagePath(options.page);
  const viewport = options.viewport ?? 'desktop';
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  options.signal?.throwIfAborted();

  const findings: Findings = {
    phase: 'starting the site server',
    results: [],
    consoleErrors: [],
    pageErrors: [],
    brokenLinks: [],
    axeViolations: [],
    externalRequests: [],
    screenshot: null,
  };
  let server: SiteServer | undefined;
  let isolated: IsolatedContext | undefined;
  let over = false;
  const release = async () => {
    await isolated?.close();
    await server?.close();
  };

  const work = (async () => {
    server = await serveSite(options.siteDir);
    findings.phase = 'starting the browser';
    isolated = await pool.openContext({
      allowedOrigin: server.url,
      viewport: VIEWPORTS[viewport],
      mobile: viewport !== 'desktop',
    });
    if (over) return;
    findings.externalRequests = isolated.externalRequests;
    await inspect(isolated, server.url, page, viewport, options, findings, started + timeoutMs);
  })();
  // After a timeout the work keeps running until its context closes; release again once it settles,
  // in case it had not opened the context yet when we released.
  work.then(release, release);

  const outcome = await settle(work, started + timeoutMs, options.signal);
  over = true;
  await release();
  if (outcome.kind === 'aborted') throw outcome.reason;
  if (outcome.kind === 'error') {
    if (outcome.error instanceof BrowserUnavailableError) throw outcome.error;
    findings.results.push({
      name: 'check completes',
      passed: false,
      detail: `failed while ${findings.phase}: ${firstLine(outcome.error)}`,
    });
  }
  if (outcome.kind === 'timeout') {
    findings.results.push({
      name: 'check completes',
      passed: false,
      detail: `timed out after ${timeoutMs} ms while ${findings.phase}${timeoutHint(findings.phase)}`,
    });
  }
  return report(page, viewport, findings, performance.now() - started);
}

async function inspect(
  isolated: IsolatedContext,
  origin: string,
  pagePath: string,
  viewport: ViewportName,
  options: BrowserCheckOptions,
  findings: Findings,
  deadline: number,
): Promise<void> {
  const page = await isolated.context.newPage();
  page.setDefaultTimeout(remaining(deadline));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isBlockedExternal(message, origin)) {
      list(findings.consoleErrors, describeConsole(message, origin));
    }
  });
  page.on('pageerror', (error) => list(findings.pageErrors, describePageError(error, origin)));

  findings.phase = 'loading the page';
  const response = await page.goto(new URL(pagePath, origin).href, { waitUntil: 'load' });
  const status = response?.status() ?? 0;
  const loaded = status >= 200 && status < 400;
  findings.results.push({
    name: 'page loads',
    passed: loaded,
    detail: loaded ? `HTTP ${status}` : `HTTP ${status} for ${pagePath}${missingFileHint(pagePath, status)}`,
  });
  if (!loaded) return;

  findings.phase = 'checking the page';
  const checkLinks = options.checkLinks ?? true;
  const probed = await evaluateInPage(
    page,
    probePage,
    probeInput({ assertions: options.assertions ?? [], links: checkLinks, forms: options.forms ?? true }),
  );
  probed.assertions.forEach((outcome, index) => {
    findings.results.push({ name: `assert ${options.assertions?.[index]?.selector ?? index}`, ...outcome });
  });

  if (checkLinks) {
    findings.phase = 'checking links';
    const links = await checkLinkTargets(probed.links, page.url(), origin, deadline);
    findings.brokenLinks = links.broken.map((link) => link.path);
    findings.results.push(links.entry);
  }
  if (probed.forms) {
    const entry = judgeForms(probed.forms, origin);
    if (entry) findings.results.push(entry);
  }
  if (options.axe ?? true) {
    findings.phase = 'running accessibility checks';
    findings.axeViolations = await runAxe(page);
    findings.results.push(judgeAxe(findings.axeViolations));
  }
  if (options.screenshot) {
    findings.phase = 'taking the screenshot';
    findings.screenshot = await screenshot(page, options.screenshot.dir, pagePath, viewport);
  }
}

/** The result entries every check has, then the report itself. */
function report(
  page: string,
  viewport: ViewportName,
  findings: Findings,
  durationMs: number,
): BrowserCheckResult {
  const always: CheckResultEntry[] = [
    listEntry('no console errors', findings.consoleErrors),
    listEntry('no uncaught page errors', findings.pageErrors),
    listEntry(
      'no external requests',
      findings.externalRequests,
      'the site must render without third-party requests: self-host the file or remove it',
    ),
  ];
  const [loads, ...rest] = findings.results;
  const results =
    loads?.name === 'page loads' ? [loads, ...always, ...rest] : [...always, ...findings.results];
  return {
    passed: results.every((entry) => entry.passed),
    page,
    viewport,
    results,
    consoleErrors: [...findings.consoleErrors],
    pageErrors: [...findings.pageErrors],
    brokenLinks: [...findings.brokenLinks],
    axeViolations: findings.axeViolations,
    externalRequests: findings.externalRequests.slice(0, MAX_LISTED),
    screenshot: findings.screenshot,
    durationMs: Math.round(durationMs),
  };
}

function listEntry(name: string, items: string[], advice?: string): CheckResultEntry {
  if (items.length === 0) return { name, passed: true, detail: 'none' };
  const shown = items.slice(0, 3).join(' | ');
  const more = items.length > 3 ? ` (+${items.length - 3} more)` : '';
  return { name, passed: false, detail: `${items.length}: ${shown}${more}${advice ? ` — ${advice}` : ''}` };
}

interface LinkReport {
  broken: Array<{ path: string; why: string }>;
  entry: CheckResultEntry;
}

/** Internal links must resolve on the local server; external and mailto:/tel: links are not fetched. */
async function checkLinkTargets(
  links: ProbedLink[],
  pageUrl: string,
  origin: string,
  deadline: number,
): Promise<LinkReport> {
  const broken = new Map<string, string>();
  const toFetch = new Map<string, string>();
  let internal = 0;
  let external = 0;
  for (const link of links) {
    if (link.url === null) {
      broken.set(link.raw, `"${link.raw}" is not a valid URL`);
      continue;
    }
    const url = new URL(link.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (url.origin !== origin) {
      external += 1;
      continue;
    }
    internal += 1;
    const path = `${url.pathname}${url.search}`;
    if (link.missingFragment) {
      broken.set(`${path}${url.hash}`, `"${link.raw}": no element with id "${url.hash.slice(1)}"`);
    }
    if (url.href.replace(/#.*$/, '') !== pageUrl.replace(/#.*$/, '') && !toFetch.has(path)) {
      toFetch.set(path, link.raw);
    }
  }
  const signal = AbortSignal.timeout(remaining(deadline));
  await Promise.all(
    [...toFetch].map(async ([path, raw]) => {
      const status = await fetch(new URL(path, origin), { method: 'HEAD', signal }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 0 || status >= 400) {
        broken.set(path, `"${raw}" → ${path} (${status === 0 ? 'no response' : `HTTP ${status}`})`);
      }
    }),
  );
  const list = [...broken].map(([path, why]) => ({ path, why }));
  const externalNote = external > 0 ? `; ${external} external not fetched` : '';
  const entry: CheckResultEntry =
    list.length === 0
      ? {
          name: 'internal links resolve',
          passed: true,
          detail: `${internal} internal link${internal === 1 ? '' : 's'} ok${externalNote}`,
        }
      : {
          name: 'internal links resolve',
          passed: false,
          detail: `${list.length} broken: ${list
            .slice(0, 5)
            .map((link) => link.why)
            .join('; ')}${list.length > 5 ? ` (+${list.length - 5} more)` : ''}`,
        };
  return { broken: list, entry };
}

/**
 * A static site cannot receive form posts, so a form passes when it submits somewhere that delivers
 * the message (a `mailto:` action or an external form service) or when the page also offers a
 * `mailto:`/`tel:` link — the owner must never silently lose an enquiry. Every control needs a real
 * label (placeholder and title are not labels) and every form a submit button.
 */
function judgeForms(forms: ProbedForms, origin: string): CheckResultEntry | null {
  if (forms.forms.length === 0 && forms.controlCount === 0) return null;
  const problems: string[] = [];
  if (forms.unlabeled.length > 0) {
    problems.push(
      `unlabeled: ${forms.unlabeled.slice(0, 5).join(', ')}${forms.unlabeled.length > 5 ? ', …' : ''} (add a <label for>)`,
    );
  }
  for (const form of forms.forms) {
    if (!form.hasSubmit) problems.push(`${form.description} has no submit button`);
    if (!deliversMessages(form.action, origin) && !forms.hasContactLink) {
      problems.push(
        `${form.description} goes nowhere (action ${form.action === null ? 'missing' : `"${form.action}"`}): ` +
          'use a mailto: or form-service action, or add a mailto:/tel: link beside it',
      );
    }
  }
  return problems.length > 0
    ? { name: 'forms usable', passed: false, detail: problems.join('; ') }
    : {
        name: 'forms usable',
        passed: true,
        detail: `${forms.forms.length} form${forms.forms.length === 1 ? '' : 's'}, ${forms.controlCount} labelled control${forms.controlCount === 1 ? '' : 's'}`,
      };
}

function deliversMessages(action: string | null, origin: string): boolean {
  const value = action?.trim() ?? '';
  if (/^mailto:/i.test(value)) return true;
  if (!/^https?:\/\//i.test(value)) return false;
  return URL.canParse(value) && new URL(value).origin !== origin;
}

function judgeAxe(violations: AxeViolation[]): CheckResultEntry {
  const failing = violations.filter((violation) => FAILING_IMPACTS.has(violation.impact));
  const milder = violations.length - failing.length;
  const milderNote = milder > 0 ? `; ${milder} minor/moderate listed` : '';
  if (failing.length === 0) {
    return {
      name: 'accessibility (axe)',
      passed: true,
      detail: `no serious or critical violations${milderNote}`,
    };
  }
  const named = failing.map(
    (violation) =>
      `${violation.id} (${violation.impact}, ${violation.targets.length} element${violation.targets.length === 1 ? '' : 's'})`,
  );
  return {
    name: 'accessibility (axe)',
    passed: false,
    detail: `${failing.length} serious/critical: ${named.join(', ')}${milderNote}`,
  };
}

async function screenshot(
  page: Page,
  dir: string,
  pagePath: string,
  viewport: ViewportName,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const slug =
    pagePath
      .replace(/[?#].*$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'home';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${slug}-${viewport}-${stamp}-${randomBytes(3).toString('hex')}.png`);
  await page.screenshot({ path: file, fullPage: true, type: 'png', animations: 'disabled' });
  return file;
}

type Outcome =
  | { kind: 'done' }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'aborted'; reason: unknown };

/** How `work` ended: finished, failed, ran past `deadline`, or was aborted — whichever came first. */
function settle(work: Promise<void>, deadline: number, signal: AbortSignal | undefined): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => finish({ kind: 'timeout' }), remaining(deadline));
    const onAbort = () => finish({ kind: 'aborted', reason: signal?.reason });
    signal?.addEventListener('abort', onAbort, { once: true });
    function finish(outcome: Outcome) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    }
    work.then(
      () => finish({ kind: 'done' }),
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}

/** A site path (`/`, `/contact/`): relative to the site, so it can never name another host. */
function checkedPagePath(page: string): string {
  if (!/^\/(?!\/)[^\s\\]*$/.test(page)) {
    throw new RangeError(`Not a site path: "${page}" (expected a path like "/" or "/contact/")`);
  }
  return page;
}

function missingFileHint(pagePath: string, status: number): string {
  if (status !== 404) return '';
  const path = pagePath.replace(/[?#].*$/, '');
  const file = path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1);
  return ` — is there a ${file}?`;
}

function timeoutHint(phase: string): string {
  return phase === 'loading the page'
    ? ': the page never finished loading (a script that never ends, or a resource that never arrives)'
    : '';
}

/** Our own routing aborts external requests; the browser's "failed to load" for those is not the page's error. */
function isBlockedExternal(message: ConsoleMessage, origin: string): boolean {
  const url = message.location().url;
  return (
    message.text().includes('ERR_BLOCKED_BY_CLIENT') && URL.canParse(url) && new URL(url).origin !== origin
  );
}

/** `TypeError: x is not a function (/menu/:12)`: the message and where it was thrown, site-relative. */
function describePageError(error: Error, origin: string): string {
  const at = error.stack?.split('\n').find((line) => line.trim().startsWith('at '));
  const where = at?.match(/\(?(\S+?):(\d+):\d+\)?$/);
  const url = where?.[1];
  const place = url ? ` (${url.startsWith(origin) ? url.slice(origin.length) : url}:${where?.[2]})` : '';
  return `${error.name}: ${error.message}${place}`;
}

function describeConsole(message: ConsoleMessage, origin: string): string {
  const { url, lineNumber } = message.location();
  const where = url ? ` (${url.startsWith(origin) ? url.slice(origin.length) : url}:${lineNumber + 1})` : '';
  return `${message.text()}${where}`;
}

function list(items: string[], item: string): void {
  if (items.length < MAX_LISTED)
    items.push(item.length > MAX_MESSAGE_CHARS ? `${item.slice(0, MAX_MESSAGE_CHARS)}…` : item);
}

/** Whole milliseconds left until `deadline` (timers and AbortSignal.timeout want integers), at least 1. */
function remaining(deadline: number): number {
  return Math.max(1, Math.ceil(deadline - performance.now()));
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
