/**
 * The preview: who may open it, the sandbox headers, root-relative links that stay inside it, paths
 * that must never leave the site, and — in a real browser — that a preview page embedded in the
 * dashboard works (styles, images, links) yet cannot reach the dashboard's cookies, storage or API.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { users } from '@sitewright/db';
import { commitAll, projectPaths } from '@sitewright/website';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiHarness, startApi, TEST_PASSWORD } from '../../testing/api-harness.ts';
import { createPreviewAccess, PREVIEW_TOKEN_TTL_MS } from './preview.service.ts';

const SANDBOX =
  "sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox; frame-ancestors 'self'";
// A 1×1 PNG.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let api: ApiHarness;
let maria: ApiClient;
let tom: ApiClient;
let admin: ApiClient;
let mariaId: string;
let webDir: string;
let projectId: string;

const siteDir = (id: string) => projectPaths(api.dataDir).siteDir(id);

async function writeSite(id: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(siteDir(id), path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  await commitAll(siteDir(id), 'site');
}

const page = (title: string, body = '') =>
  `<!doctype html><html lang="en"><head><title>${title}</title><link rel="stylesheet" href="/styles.css"></head>` +
  `<body><nav><a href="/">Home</a> <a href="/about/">About</a></nav><h1>${title}</h1>${body}</body></html>`;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'sitewright-dashboard-'));
  api = await startApi({ WEB_DIST_DIR: webDir });
  mariaId = await api.createUser('maria');
  await api.createUser('tom');
  await api.createUser('root', 'admin');
  [maria, tom, admin] = await Promise.all([api.login('maria'), api.login('tom'), api.login('root')]);
  projectId = (await api.deps.engine.createProject({ ownerId: mariaId, name: "Maria's Pizzeria" })).id;
  await writeSite(projectId, {
    'index.html': page('Home', '<img id="logo" src="/img/logo.png" alt="Logo">'),
    'about/index.html': page('About us'),
    'styles.css': 'body { color: rgb(1, 2, 3); background: url(/img/logo.png) no-repeat; }',
    'img/logo.png': PIXEL,
  });
  // A stand-in for the dashboard's build: a page that embeds the preview like the project page does.
  writeFileSync(
    join(webDir, 'index.html'),
    `<!doctype html><title>Dashboard</title><iframe id="preview" src="/preview/${projectId}/"></iframe>`,
  );
});

afterAll(async () => {
  await api?.close();
  rmSync(webDir, { recursive: true, force: true });
});

/** Opens the preview as `client` and follows the redirect to its tokened address. */
async function open(client: ApiClient, id = projectId, path = '/') {
  const first = await client.get(`/preview/${id}${path}`);
  expect(first.status).toBe(302);
  const location = first.headers.get('location') ?? '';
  expect(location).toMatch(new RegExp(`^/preview/${id}/~[0-9a-z]+\\.[0-9a-f]{32}\\.[\\w-]{22}/`));
  return { location, prefix: location.slice(0, location.indexOf('/', `/preview/${id}/~`.length)) };
}

/** A request exactly as written: fetch would normalize `..` away before sending. */
function rawGet(path: string, cookie = ''): Promise<{ status: number; body: string }> {
  const url = new URL(api.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: cookie ? { cookie } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function expectSandboxed(headers: Headers): void {
  expect(headers.get('content-security-policy')).toBe(SANDBOX);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}

describe('the preview', () => {
  it('redirects the owner to a tokened address and serves the site sandboxed, links rewritten', async () => {
    const { location, prefix } = await open(maria);
    const home = await maria.get(location);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectSandboxed(home.headers);
    expect(home.body).toContain(`<link rel="stylesheet" href="${prefix}/styles.css">`);
    expect(home.body).toContain(`<a href="${prefix}/">Home</a> <a href="${prefix}/about/">About</a>`);
    expect(home.body).toContain(`src="${prefix}/img/logo.png"`);

    // The about link from the home page is the preview's about page — with no cookie at all, as a
    // sandboxed page requests it.
    const href = /href="([^"]*\/about\/)"/.exec(home.body)?.[1] ?? '';
    const about = await api.anonymous().get(href);
    expect(about.status).toBe(200);
    expect(about.body).toContain('<h1>About us</h1>');

    const css = await api.anonymous().get(`${prefix}/styles.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.body).toContain(`url(${prefix}/img/logo.png)`);
    expectSandboxed(css.headers);

    const image = await fetch(`${api.base}${prefix}/img/logo.png`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PIXEL);
    expectSandboxed(image.headers);

    const head = await fetch(`${api.base}${prefix}/about/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('keeps the path and query through the redirect, and adds the slash a directory needs', async () => {
    const { location, prefix } = await open(maria, projectId, '/about/?from=menu');
    expect(location).toBe(`${prefix}/about/?from=menu`);
    const directory = await api.anonymous().get(`${prefix}/about?x=1`);
    expect(directory.status).toBe(302);
    expect(directory.headers.get('location')).toBe(`${prefix}/about/?x=1`);
    const bare = await maria.get(`/preview/${projectId}`);
    expect(bare.headers.get('location')).toMatch(/\/~[^/]+\/$/);
  });

  it('lets admins preview any project; others and anonymous callers get a page saying no', async () => {
    const { location } = await open(admin);
    expect((await admin.get(location)).status).toBe(200);

    const anonymous = await api.anonymous().get(`/preview/${projectId}/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(anonymous.body).toContain('Sign in');
    expectSandboxed(anonymous.headers);

    const other = await tom.get(`/preview/${projectId}/`);
    expect(other.status).toBe(404);
    expect(other.body).not.toContain('Home');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-project']) {
      expect((await maria.get(`/preview/${id}/`)).status).toBe(404);
    }
  });

  it('refuses forged, borrowed and expired tokens', async () => {
    const { prefix } = await open(maria);
    const token = prefix.slice(prefix.indexOf('~') + 1);
    const anonymous = api.anonymous();
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [forged, 'nonsense', '', `${token}x`]) {
      const response = await anonymous.get(`/preview/${projectId}/~${bad}/`);
      expect(response.status, bad).toBe(401);
      expect(response.body).toContain('expired');
    }
    // A token names its project: it opens nothing else, even of the same owner.
    const otherId = (await api.deps.engine.createProject({ ownerId: mariaId, name: 'Second' })).id;
    await writeSite(otherId, { 'index.html': page('Second') });
    expect((await anonymous.get(`/preview/${otherId}/~${token}/`)).status).toBe(401);
    // Where the session cookie is sent, an unusable token is simply replaced.
    const renewed = await maria.get(`/preview/${otherId}/~${token}/about/`);
    expect(renewed.status).toBe(302);
    expect(renewed.headers.get('location')).toMatch(new RegExp(`^/preview/${otherId}/~[^/]+/about/$`));
  });

  it('expires tokens, renews them past half their life, and ends them with a password change', async () => {
    const start = Date.now();
    let now = start;
    const access = createPreviewAccess(api.deps, { now: () => now });
    const user = { id: mariaId, username: 'maria', role: 'user' as const };
    const token = await access.grant(user, projectId);
    expect(await access.check(token, projectId)).toEqual({ renewed: null });
    now = start + PREVIEW_TOKEN_TTL_MS * 0.6;
    const { renewed } = await access.check(token, projectId);
    expect(renewed).toMatch(/^[0-9a-z]+\./);
    now = start + PREVIEW_TOKEN_TTL_MS + 1_000;
    await expect(access.check(token, projectId)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(access.check(renewed as string, projectId)).resolves.toEqual({ renewed: null });

    // The server's own check agrees on a token minted here with the same secret …
    const live = await access.grant(user, projectId);
    expect((await api.anonymous().get(`/preview/${projectId}/~${live}/`)).status).toBe(200);
    // … until the user's sessions are revoked.
    await api.db.db
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, mariaId));
    expect((await api.anonymous().get(`/preview/${projectId}/~${live}/`)).status).toBe(401);
    await api.db.db
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} - 1` })
      .where(eq(users.id, mariaId));
  });

  it('never leaves the site: traversal, encoded variants, .git, dot-files and symlinks all 404', async () => {
    const { prefix } = await open(maria);
    symlinkSync('/etc/passwd', join(siteDir(projectId), 'passwd.html'));
    symlinkSync('/etc', join(siteDir(projectId), 'etc'));
    writeFileSync(join(siteDir(projectId), '.env'), 'SECRET=1');
    const attempts = [
      `${prefix}/../../../../../../etc/passwd`,
      `${prefix}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${prefix}/..%2f..%2f..%2f..%2fetc%2fpasswd`,
      `${prefix}/%2e%2e%5c%2e%2e%5cetc%5cpasswd`,
      `${prefix}/about/%2e%2e/%2e%2e/%2e%2e/.git/config`,
      `${prefix}/%252e%252e/%252e%252e/etc/passwd`,
      `${prefix}/.git/config`,
      `${prefix}/.git/HEAD`,
      `${prefix}/%2egit/config`,
      `${prefix}/.git/`,
      `${prefix}/.env`,
      `${prefix}/index.html%00.png`,
      `${prefix}/passwd.html`,
      `${prefix}/etc/passwd`,
      `${prefix}//etc/passwd`,
      `/preview/${projectId}/../../etc/passwd`,
      `/preview/${projectId}/.git/config`,
      `/preview/${projectId}/%2e%2e/%2e%2e/etc/passwd`,
      '/preview/..%2f..%2fetc%2fpasswd',
      '/preview/../etc/passwd',
    ];
    for (const path of attempts) {
      const response = await rawGet(path, maria.cookieHeader());
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toMatch(/root:|\[core\]|SECRET|repositoryformatversion/);
    }
  });

  it('answers a missing page with a friendly 404, or the site’s own 404 page, and nothing-yet for no site', async () => {
    const { prefix } = await open(maria);
    const missing = await maria.get(`${prefix}/catering/`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('not part of the site');
    expectSandboxed(missing.headers);

    const withOwn404 = (await api.deps.engine.createProject({ ownerId: mariaId, name: 'Own 404' })).id;
    await writeSite(withOwn404, { 'index.html': page('Home'), '404.html': page('Lost?') });
    const own = await open(maria, withOwn404);
    const lost = await maria.get(`${own.prefix}/nowhere/`);
    expect(lost.status).toBe(404);
    expect(lost.body).toContain('<h1>Lost?</h1>');
    expect(lost.body).toContain(`href="${own.prefix}/about/"`);

    const empty = (await api.deps.engine.createProject({ ownerId: mariaId, name: 'Empty' })).id;
    const nothing = await open(maria, empty);
    const response = await maria.get(nothing.location);
    expect(response.status).toBe(404);
    expect(response.body).toContain('Nothing to preview yet');
  });

  it('sends nothing anywhere for other methods', async () => {
    const { prefix } = await open(maria);
    const posted = await maria.request('POST', `${prefix}/contact/`, 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });
});

const chromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

describe.skipIf(!chromium)('the preview in a browser', () => {
  it('works inside the dashboard yet cannot read its cookies, storage or API', async () => {
    const isolated = await api.deps.browserPool.openContext({
      allowedOrigin: api.base,
      viewport: { width: 1024, height: 768 },
    });
    try {
      const { context } = isolated;
      const login = await context.request.post(`${api.base}/api/auth/login`, {
        data: { username: 'maria', password: TEST_PASSWORD },
        headers: { origin: api.base },
      });
      expect(login.status()).toBe(200);
      const dashboard = await context.newPage();
      await dashboard.goto(`${api.base}/projects/${projectId}`);
      await dashboard.evaluate("localStorage.setItem('dashboard-secret', 'kept')");
      const frame = await (await dashboard.waitForSelector('iframe#preview')).contentFrame();
      if (!frame) throw new Error('the preview frame did not load');
      await frame.waitForSelector('h1');
      expect(frame.url()).toMatch(/\/preview\/[^/]+\/~[^/]+\/$/);
      expect(await frame.textContent('h1')).toBe('Home');

      // The site works: its stylesheet and image load through the tokened links.
      // The stylesheet loads after the heading is in the page: wait for it to apply, then check.
      await frame.waitForFunction("getComputedStyle(document.body).color === 'rgb(1, 2, 3)'", null, {
        timeout: 10_000,
      });
      await frame.waitForFunction("document.getElementById('logo').complete");
      expect(await frame.evaluate("document.getElementById('logo').naturalWidth")).toBe(1);

      // … in an opaque origin that holds nothing of the dashboard's.
      expect(await frame.evaluate('self.origin')).toBe('null');
      const attempt = (expression: string) =>
        frame.evaluate(
          `(async () => { try { return String(await (${expression})); } catch (e) { return 'refused: ' + e.name; } })()`,
        );
      expect(await attempt('document.cookie')).toBe('refused: SecurityError');
      expect(await attempt("localStorage.getItem('dashboard-secret')")).toBe('refused: SecurityError');
      expect(await attempt('parent.document.title')).toBe('refused: SecurityError');
      const api1 = await attempt("fetch('/api/auth/me', { credentials: 'include' }).then((r) => r.text())");
      expect(api1).toMatch(/^refused/);
      const api2 = await attempt(
        `fetch('/api/projects/${projectId}/features/bug', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"name":"from the preview"}' }).then((r) => r.status)`,
      );
      expect(api2).toMatch(/^refused/);
      expect(JSON.stringify((await maria.get(`/api/projects/${projectId}/features`)).body)).not.toContain(
        'from the preview',
      );

      // Its root-relative link to /about/ stays in the preview.
      await frame.click('nav a:text("About")');
      await frame.waitForSelector('h1:text("About us")');
      expect(frame.url()).toMatch(/\/preview\/[^/]+\/~[^/]+\/about\/$/);
      // The stylesheet loads after the heading is in the page: wait for it to apply, then check.
      await frame.waitForFunction("getComputedStyle(document.body).color === 'rgb(1, 2, 3)'", null, {
        timeout: 10_000,
      });

      // Why the links carry a token: a sandboxed page's own requests go without the session cookie.
      await frame.evaluate(`location.href = '/preview/${projectId}/about/'`);
      await frame.waitForSelector('h1:text("Sign in to preview")');

      // Opened in a tab of its own, it works the same way.
      const tab = await context.newPage();
      await tab.goto(`${api.base}/preview/${projectId}/about/`);
      expect(await tab.textContent('h1')).toBe('About us');
      expect(await tab.evaluate('self.origin')).toBe('null');
      expect(isolated.externalRequests).toEqual([]);
    } finally {
      await isolated.close();
    }
  }, 60_000);
});
