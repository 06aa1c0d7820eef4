/**
 * The site's public base URL without a trailing slash (`https://example.com`,
 * `https://host/preview/abc`). Throws for anything but an absolute http(s) URL, since every URL in
 * the sitemap, canonical links and JSON-LD is built from it.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`The public base URL must be absolute: "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The public base URL must use http or https: "${baseUrl}"`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The public URL of a page: `index.html` files are served as their directory, with a trailing slash. */
export function pageUrl(baseUrl: string, page: string): string {
  const segments = page.split('/');
  if (segments[segments.length - 1] === 'index.html') segments[segments.length - 1] = '';
  return `${normalizeBaseUrl(baseUrl)}/${segments.map(encodeURIComponent).join('/')}`;
}
