/**
 * `GET /preview/:id/…`: the project's site as built so far, for its owner (and admins).
 *
 * Isolation. Every response carries `Content-Security-Policy: sandbox …` without `allow-same-origin`,
 * so a preview page — whatever scripts the site has — runs in an opaque origin: it cannot read the
 * dashboard's cookies, localStorage or DOM, and its requests to `/api` are cross-origin and
 * cookie-less. `frame-ancestors 'self'` lets only the dashboard embed it. Because of the sandbox, the
 * site's own requests carry no session cookie either; they are authorized by a token in the path
 * (`/preview/:id/~<token>/…`, see preview.service.ts) that the first, cookie-carrying request
 * redirects to. `Cross-Origin-Resource-Policy: cross-origin` is needed for the same reason: to the
 * browser the page's own stylesheet and images are cross-origin loads, which `same-origin` would block.
 *
 * Links. Site pages link root-relatively (`/about/`); they are rewritten on the way out to stay under
 * the preview (see preview.rewrite.ts).
 */
import { readFile } from 'node:fs/promises';
import { errorStatus } from '@sitewright/contracts';
import { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { rewriteCss, rewriteHtml } from './preview.rewrite.ts';
import { createPreviewAccess, decodeSegments, locateInSite, type SiteEntry } from './preview.service.ts';
import { siteDirOf } from './site.service.ts';

const SANDBOX_POLICY =
  "sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox; frame-ancestors 'self'";

export function previewRoutes(deps: AppDeps): Router {
  const router = Router();
  const access = createPreviewAccess(deps);

  router.use(async (req, res) => {
    isolate(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendPage(res, 405, 'Not sent', 'Forms and other requests are not sent anywhere from the preview.');
      return;
    }
    // Raw segments (still percent-encoded): they are decoded exactly once, by decodeSegments.
    const [projectId = '', first, ...rest] = req.path.slice(1).split('/');
    const tokened = first?.startsWith('~') ?? false;
    const path = tokened || first === undefined ? rest : [first, ...rest];
    if (!decodeSegments(path)) throw pageNotFound();
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const siteRoot = `/preview/${projectId}`;

    if (!tokened) {
      // No token yet: the dashboard's frame (or a tab) asks, and that request carries the session cookie.
      const token = await sessionGrant(req, projectId);
      if (!token) throw new AppError('unauthenticated', 'Sign in to Sitewright to see this preview.');
      redirect(res, `${siteRoot}/~${token}/${path.join('/')}${query}`);
      return;
    }
    const token = (first ?? '').slice(1);
    const renewed = await access.check(token, projectId).then(
      ({ renewed }) => renewed,
      // An unusable link opened where the session cookie is sent (a tab of its own): just renew it.
      async (error: unknown) => (await sessionGrant(req, projectId)) ?? Promise.reject(error),
    );
    if (renewed) {
      redirect(res, `${siteRoot}/~${renewed}/${path.join('/')}${query}`);
      return;
    }
    const siteDir = siteDirOf(deps, projectId);
    const entry = await locateInSite(siteDir, path);
    await serve(req, res, entry, { prefix: `${siteRoot}/~${token}`, siteRoot, query, siteDir });
  });

  /** A token for the request's session user, or null without a session; 404 if they may not see it. */
  async function sessionGrant(req: Request, projectId: string): Promise<string | null> {
    const user = await deps.auth.authenticate(req);
    return user ? access.grant(user, projectId) : null;
  }

  async function serve(
    req: Request,
    res: Response,
    entry: SiteEntry,
    at: { prefix: string; siteRoot: string; query: string; siteDir: string },
  ): Promise<void> {
    switch (entry.kind) {
      case 'no-site':
        sendPage(
          res,
          404,
          'Nothing to preview yet',
          'The site appears here as soon as the agent writes its first page.',
        );
        return;
      case 'directory':
        redirect(res, `${req.baseUrl}${req.path}/${at.query}`);
        return;
      case 'missing': {
        // The site's own 404 page, when it has one.
        const notFound = await locateInSite(at.siteDir, ['404.html']);
        if (notFound.kind !== 'file') throw pageNotFound();
        res.status(404);
        await sendFile(res, notFound, at);
        return;
      }
      case 'file':
        await sendFile(res, entry, at);
        return;
    }
  }

  router.use(previewErrorPage);
  return router;
}

async function sendFile(
  res: Response,
  file: Extract<SiteEntry, { kind: 'file' }>,
  at: { prefix: string; siteRoot: string },
): Promise<void> {
  res.setHeader('Content-Type', file.type);
  if (file.type.startsWith('text/html')) {
    res.send(rewriteHtml(await readFile(file.path, 'utf8'), at));
  } else if (file.type.startsWith('text/css')) {
    res.send(rewriteCss(await readFile(file.path, 'utf8'), at));
  } else {
    // Streamed with ranges and conditional requests; paths were checked by locateInSite.
    await new Promise<void>((resolve, reject) => {
      res.sendFile(file.path, { dotfiles: 'allow', cacheControl: false }, (error) =>
        error && !res.headersSent ? reject(error) : resolve(),
      );
    });
  }
}

/** Headers of every preview response, error pages included. */
function isolate(res: Response): void {
  res.setHeader('Content-Security-Policy', SANDBOX_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  // Links carry a token: never hand them to the sites a preview page links to.
  res.setHeader('Referrer-Policy', 'no-referrer');
  // The agent rewrites files at any moment: always revalidate.
  res.setHeader('Cache-Control', 'private, no-cache');
}

function redirect(res: Response, location: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(302, location);
}

function pageNotFound(): AppError {
  return new AppError('not_found', 'This page is not part of the site (yet).');
}

/** Preview errors are pages in the frame, not JSON: the owner reads them where the site would be. */
const previewErrorPage: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const sendError = error as { status?: number };
  if (error instanceof AppError && errorStatus[error.code] < 500) {
    const status = errorStatus[error.code];
    const title = status === 401 ? 'Sign in to preview' : status === 404 ? 'Not found' : 'Not available';
    sendPage(res, status, title, error.message);
    return;
  }
  if (sendError.status === 404) {
    sendPage(res, 404, 'Not found', 'This page is not part of the site (yet).');
    return;
  }
  next(error);
};

/** A small self-contained page; every text in it is ours, never from the request. */
function sendPage(res: Response, status: number, title: string, message: string): void {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font:16px/1.5 system-ui,sans-serif;color:#334;max-width:32rem;margin:15vh auto;padding:0 1.5rem;text-align:center">` +
        `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
    );
}
