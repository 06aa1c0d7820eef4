import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SiteServer, serveSite } from './static-server.ts';
import { tempDirs, writeSite } from './test-support.ts';

/** A raw request: `fetch` would normalise `/../` away before it reaches the server. */
function get(server: SiteServer, path: string, method = 'GET') {
  const { port } = new URL(server.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('serveSite', () => {
  const dirs = tempDirs();
  let server: SiteServer;
  let outside: string;

  beforeAll(async () => {
    const site = await writeSite(await dirs.make(), {
      'index.html': '<h1>home</h1>',
      'menu/index.html': '<h1>menu</h1>',
      'styles.css': 'body{}',
      'app.js': 'void 0',
      'logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'data.bin': 'x',
      'empty/.keep': '',
      '.git/config': '[core]',
      '.env': 'SECRET=1',
      '.well-known/security.txt': 'Contact: mailto:a@example.com',
    });
    outside = await dirs.make();
    await writeFile(join(outside, 'secret.txt'), 'outside');
    await symlink(join(outside, 'secret.txt'), join(site, 'escape.txt'));
    await symlink(outside, join(site, 'escape-dir'));
    await mkdir(join(site, 'nested'));
    await symlink(join(site, '.git', 'config'), join(site, 'nested', 'config'));
    server = await serveSite(site);
  });
  afterAll(async () => {
    await server.close();
    await dirs.cleanup();
  });

  it('listens on 127.0.0.1 at a random port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([
    ['/', 200, 'text/html; charset=utf-8', '<h1>home</h1>'],
    ['/index.html', 200, 'text/html; charset=utf-8', '<h1>home</h1>'],
    ['/menu/', 200, 'text/html; charset=utf-8', '<h1>menu</h1>'],
    ['/menu/?from=nav', 200, 'text/html; charset=utf-8', '<h1>menu</h1>'],
    ['/styles.css', 200, 'text/css; charset=utf-8', 'body{}'],
    ['/app.js', 200, 'text/javascript; charset=utf-8', 'void 0'],
    ['/logo.svg', 200, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['/data.bin', 200, 'application/octet-stream', 'x'],
    ['/.well-known/security.txt', 200, 'text/plain; charset=utf-8', 'Contact: mailto:a@example.com'],
  ])('serves %s', async (path, status, type, body) => {
    const response = await get(server, path);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toBe(body);
  });

  it('redirects a directory without its slash, keeping the query', async () => {
    const response = await get(server, '/menu?x=1');
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/menu/?x=1');
  });

  it.each([
    ['/missing.html', 404],
    ['/empty/', 404], // a directory without index.html: no listing
    ['/.git/config', 404],
    ['/.git/', 404],
    ['/%2Egit/config', 404],
    ['/.env', 404],
    ['/menu/.git/config', 404],
    ['/../../etc/passwd', 400],
    ['/menu/../../etc/passwd', 400],
    ['/%2e%2e/%2e%2e/etc/passwd', 400],
    ['/..%2f..%2fetc/passwd', 400],
    ['/%2e%2e%5c%2e%2e%5cetc/passwd', 400],
    ['/%E0%A4%A', 400],
    ['/a%00.html', 400],
    ['/escape.txt', 404], // symlink to a file outside the site
    ['/escape-dir/secret.txt', 404], // symlink to a directory outside the site
    ['/nested/config', 404], // symlink into .git
  ])('refuses %s with %i', async (path, status) => {
    const response = await get(server, path);
    expect(response.status).toBe(status);
    expect(response.body).not.toContain('[core]');
    expect(response.body).not.toContain('outside');
    expect(response.body).not.toContain('SECRET');
  });

  it('answers HEAD with headers only and refuses other methods', async () => {
    const head = await get(server, '/styles.css', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('6');
    expect(head.body).toBe('');
    const post = await get(server, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('closes idempotently and stops answering', async () => {
    const other = await serveSite(await dirs.make());
    await Promise.all([other.close(), other.close()]);
    await expect(fetch(`${other.url}/`)).rejects.toThrow();
  });
});
