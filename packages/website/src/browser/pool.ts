/**
 * One shared headless Chromium per runner, launched on first use and relaunched when it crashed or
 * disconnected. Every check gets its own browser context (no shared cookies, storage or cache) that
 * can reach only the local site: any other request is aborted and recorded, because a small-business
 * site must render without third-party requests — and a check must never touch the network.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Launch flags: headless, no sandbox (containers), and nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Request routing cannot see DNS prefetches and preconnects; resolving nothing but the local server
  // keeps those off the network too.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

const DEFAULT_LAUNCH_TIMEOUT_MS = 30_000;
/** A context whose renderer is wedged still closes; this only bounds a pathological close. */
const CONTEXT_CLOSE_TIMEOUT_MS = 5_000;

/** Chromium cannot be used: missing executable, failed launch, or a closed pool. Infrastructure, not a check result. */
export class BrowserUnavailableError extends Error {
  override readonly name = 'BrowserUnavailableError';
}

export interface BrowserPoolOptions {
  /** The Chromium (or Chrome) executable. */
  chromiumPath: string;
  launchTimeoutMs?: number;
}

export interface IsolatedContextOptions {
  /** The only origin the context may load from, e.g. `http://127.0.0.1:41234`. */
  allowedOrigin: string;
  viewport: { width: number; height: number };
  /** Emulate a touch device with a mobile viewport meta (phones, tablets). */
  mobile?: boolean;
}

export interface IsolatedContext {
  context: BrowserContext;
  /** URLs the pages tried to load outside `allowedOrigin`, in order, each once; all were aborted. */
  externalRequests: string[];
  /** Closes the context; safe to call twice and never throws. */
  close(): Promise<void>;
}

export interface BrowserPoolStatus {
  /** A browser is running and connected. */
  connected: boolean;
  /** Browsers launched so far (relaunches after a crash included). */
  launches: number;
  openContexts: number;
}

export interface BrowserPool {
  /** A fresh context on the shared browser (launched or relaunched as needed). */
  openContext(options: IsolatedContextOptions): Promise<IsolatedContext>;
  status(): BrowserPoolStatus;
  /** Closes the browser; the pool cannot be used afterwards. */
  close(): Promise<void>;
}

/** The runner's browser pool; nothing starts until the first context is opened. */
export function createBrowserPool(options: BrowserPoolOptions): BrowserPool {
  const launchTimeoutMs = options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  let current: Promise<Browser> | null = null;
  let closed = false;
  let launches = 0;
  let connected = false;
  let openContexts = 0;

  async function launch(): Promise<Browser> {
    try {
      await access(options.chromiumPath, constants.X_OK);
    } catch {
      throw new BrowserUnavailableError(
        `Chromium not found at ${options.chromiumPath}: install chromium or set CHROMIUM_PATH`,
      );
    }
    launches += 1;
    try {
      return await chromium.launch({
        executablePath: options.chromiumPath,
        args: CHROMIUM_ARGS,
        timeout: launchTimeoutMs,
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      throw new BrowserUnavailableError(`Chromium at ${options.chromiumPath} failed to start: ${reason}`, {
        cause: error,
      });
    }
  }

  /** The running browser; concurrent callers share one launch, a dead browser is replaced. */
  async function browser(): Promise<Browser> {
    for (;;) {
      if (closed) throw new BrowserUnavailableError('The browser pool is closed');
      if (!current) {
        const launching = launch();
        current = launching;
        launching.then(
          (launched) => {
            connected = true;
            launched.on('disconnected', () => {
              connected = false;
              if (current === launching) current = null;
            });
          },
          () => {
            // A failed launch is retried by the next caller, not cached.
            if (current === launching) current = null;
          },
        );
      }
      const launching = current;
      const running = await launching;
      if (running.isConnected()) return running;
      if (current === launching) current = null;
    }
  }

  async function openContext(contextOptions: IsolatedContextOptions): Promise<IsolatedContext> {
    const allowed = new URL(contextOptions.allowedOrigin).origin;
    let context: BrowserContext;
    try {
      context = await newContext(await browser(), contextOptions);
    } catch (error) {
      if (error instanceof BrowserUnavailableError) throw error;
      // The browser died between the check and the call: one retry on a relaunched browser.
      context = await newContext(await browser(), contextOptions);
    }
    openContexts += 1;

    const externalRequests: string[] = [];
    const recordExternal = (url: string) => {
      if (!externalRequests.includes(url)) externalRequests.push(url);
    };
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      const isLocal = URL.canParse(url) && new URL(url).origin === allowed;
      if (!isLocal) recordExternal(url);
      // The context may close while a request is in flight; that request no longer matters.
      await (isLocal ? route.continue() : route.abort('blockedbyclient')).catch(() => {});
    });
    await context.routeWebSocket(
      () => true,
      (socket) => {
        recordExternal(socket.url());
        // Never connected to any server; the page sees the socket close.
        socket.close().catch(() => {});
      },
    );

    let closing: Promise<void> | undefined;
    return {
      context,
      externalRequests,
      close() {
        closing ??= (async () => {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            context.close().catch(() => {}),
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, CONTEXT_CLOSE_TIMEOUT_MS);
            }),
          ]);
          clearTimeout(timer);
          openContexts -= 1;
        })();
        return closing;
      },
    };
  }

  return {
    openContext,
    status: () => ({ connected, launches, openContexts }),
    async close() {
      closed = true;
      const launching = current;
      current = null;
      const running = await launching?.catch(() => null);
      await running?.close().catch(() => {});
      connected = false;
    },
  };
}

function newContext(browser: Browser, options: IsolatedContextOptions): Promise<BrowserContext> {
  const mobile = options.mobile ?? false;
  return browser.newContext({
    viewport: options.viewport,
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: 1,
    // A service worker's fetches bypass routing; sites here do not need one to render.
    serviceWorkers: 'block',
    acceptDownloads: false,
    reducedMotion: 'reduce',
    colorScheme: 'light',
    locale: 'en-US',
  });
}
