/** A reference (`href`, `src`, CSS `url()`) to a file of the same site, resolved to a site path. */
export type ResolvedReference =
  | { kind: 'internal'; path: string; directory: boolean; fragment: string }
  | { kind: 'outside' };

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Resolves `reference` as written in `fromFile` (a site path such as `menu/index.html`). Returns null
 * for references that leave the site on purpose (`https:`, `mailto:`, `tel:`, `data:`, `//host`) or
 * are empty; `outside` when `..` climbs above the site root. `/x` is taken from the site root.
 */
export function resolveReference(fromFile: string, reference: string): ResolvedReference | null {
  const trimmed = reference.trim();
  if (trimmed === '' || SCHEME.test(trimmed) || trimmed.startsWith('//')) return null;
  const hashAt = trimmed.indexOf('#');
  const fragment = hashAt === -1 ? '' : safeDecode(trimmed.slice(hashAt + 1));
  const beforeHash = hashAt === -1 ? trimmed : trimmed.slice(0, hashAt);
  const pathPart = beforeHash.split('?')[0] ?? '';
  if (pathPart === '') return { kind: 'internal', path: fromFile, directory: false, fragment };

  const segments = pathPart.startsWith('/') ? [] : fromFile.split('/').slice(0, -1);
  const parts = safeDecode(pathPart).split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return { kind: 'outside' };
      segments.pop();
    } else {
      segments.push(part);
    }
  }
  const last = parts[parts.length - 1];
  const directory = last === '' || last === '.' || last === '..';
  return { kind: 'internal', path: segments.join('/'), directory, fragment };
}

/** The site file a resolved reference is served from, if it exists (`x/` and `x` both mean `x/index.html`). */
export function targetFile(
  resolved: { path: string; directory: boolean },
  files: ReadonlySet<string>,
): string | null {
  const index = resolved.path === '' ? 'index.html' : `${resolved.path}/index.html`;
  if (resolved.directory) return files.has(index) ? index : null;
  if (files.has(resolved.path)) return resolved.path;
  // Static hosts redirect `/about` to `/about/`, so a link without the slash still lands.
  return files.has(index) ? index : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
