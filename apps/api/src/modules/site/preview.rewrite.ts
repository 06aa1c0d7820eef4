/**
 * Link rewriting for the preview. Sites are written for the root of their own domain, so their links
 * are root-relative (`/about/`, `/styles.css`); served under `/preview/:id/~token/` those would leave
 * the preview and land on the dashboard. Rewriting them on the way out keeps every page, stylesheet,
 * image and form of the site inside the preview. `<base href>` cannot do this: it only changes how
 * relative URLs resolve, and a root-relative URL ignores the base's path.
 *
 * What is rewritten: URL attributes of every tag (href, src, action, srcset, …), the URL of a
 * `<meta http-equiv="refresh">`, `url(…)` and `@import` in `<style>` blocks, `style` attributes and
 * stylesheets. Absolute links to this project's own preview (`http://host/preview/<id>/…`, as a worker
 * told the site's public URL may write them) are pointed at the current prefix too. URLs a script
 * builds at run time are not seen; they reach the dashboard's origin, which the sandbox keeps apart.
 */

/** Attributes whose whole value is one URL. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'data',
  'background',
  'cite',
  'longdesc',
  'manifest',
  'xlink:href',
]);
/** Attributes holding a comma-separated list of `url descriptor` candidates. */
const SRCSET_ATTRIBUTES = new Set(['srcset', 'imagesrcset']);

// A start tag, honouring quoted attribute values (a `>` inside quotes does not end the tag).
const TAG =
  /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /(\s+)([^\s"'>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const STYLE_BLOCK = /(<style\b[^>]*>)([\s\S]*?)(<\/style\s*>)/gi;
const CSS_URL = /\burl\(\s*(["']?)([^"')\s]*)\1\s*\)/gi;
const CSS_IMPORT = /(@import\s+)(["'])([^"']*)\2/gi;

export interface PreviewPrefix {
  /** Where the site's root is served now, e.g. `/preview/<id>/~<token>` (no trailing slash). */
  prefix: string;
  /** The project's preview root without a token, `/preview/<id>`. */
  siteRoot: string;
}

/** One URL as the preview must serve it; anything that is not root-relative stays as written. */
export function rewriteUrl(url: string, at: PreviewPrefix): string {
  const leading = url.match(/^\s*/)?.[0] ?? '';
  const value = url.slice(leading.length);
  const absolute = value.match(/^(?:https?:)?\/\/[^/?#\\]+(\/.*)?$/i);
  if (absolute) {
    const path = absolute[1] ?? '';
    return isUnderSiteRoot(path, at) ? leading + at.prefix + path.slice(at.siteRoot.length) : url;
  }
  // `/\` is read by browsers as `//`: a protocol-relative URL, not a path.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return url;
  if (value.startsWith(`${at.prefix}/`) || value === at.prefix) return url;
  if (isUnderSiteRoot(value, at)) return leading + at.prefix + value.slice(at.siteRoot.length);
  return leading + at.prefix + value;
}

function isUnderSiteRoot(path: string, at: PreviewPrefix): boolean {
  const rest = path.slice(at.siteRoot.length);
  return path.startsWith(at.siteRoot) && (rest === '' || /^[/?#]/.test(rest));
}

export function rewriteCss(css: string, at: PreviewPrefix): string {
  return css
    .replace(CSS_URL, (_match, quote: string, url: string) => `url(${quote}${rewriteUrl(url, at)}${quote})`)
    .replace(
      CSS_IMPORT,
      (_match, keyword: string, quote: string, url: string) =>
        `${keyword}${quote}${rewriteUrl(url, at)}${quote}`,
    );
}

export function rewriteHtml(html: string, at: PreviewPrefix): string {
  const withStyles = html.replace(
    STYLE_BLOCK,
    (_match, open: string, css: string, close: string) => open + rewriteCss(css, at) + close,
  );
  return withStyles.replace(TAG, (tag, name: string, attributes: string, selfClosing: string) => {
    const refresh = name.toLowerCase() === 'meta' && /\bhttp-equiv\s*=\s*["']?refresh/i.test(attributes);
    const rewritten = attributes.replace(
      ATTRIBUTE,
      (
        whole,
        space: string,
        attribute: string,
        equals?: string,
        double?: string,
        single?: string,
        bare?: string,
      ) => {
        if (equals === undefined) return whole;
        const value = double ?? single ?? bare ?? '';
        const next = rewriteAttribute(attribute.toLowerCase(), value, refresh, at);
        if (next === value) return whole;
        const quote = double !== undefined ? '"' : single !== undefined ? "'" : '"';
        return `${space}${attribute}${equals}${quote}${next}${quote}`;
      },
    );
    return rewritten === attributes ? tag : `<${name}${rewritten}${selfClosing ? ' /' : ''}>`;
  });
}

function rewriteAttribute(name: string, value: string, refresh: boolean, at: PreviewPrefix): string {
  if (URL_ATTRIBUTES.has(name)) return rewriteUrl(value, at);
  if (SRCSET_ATTRIBUTES.has(name)) {
    return value.replace(/(^|,)(\s*)([^\s,]+)/g, (_match, comma: string, space: string, url: string) => {
      return comma + space + rewriteUrl(url, at);
    });
  }
  if (name === 'style') return rewriteCss(value, at);
  if (name === 'content' && refresh) {
    return value.replace(
      /(\burl\s*=\s*)(['"]?)([^'"]*)\2/i,
      (_match, key: string, quote: string, url: string) => {
        return key + quote + rewriteUrl(url, at) + quote;
      },
    );
  }
  return value;
}
