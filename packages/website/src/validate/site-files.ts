import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The files of a site, as POSIX paths relative to the site directory, sorted. */
export interface SiteFiles {
  all: string[];
  html: string[];
  css: string[];
}

/**
 * Lists a site's files. Dot entries (`.git`, `.DS_Store`) and symlinks are skipped: neither is part
 * of what gets published, and a symlink could point outside the site. A missing directory is an
 * empty site.
 */
export async function listSiteFiles(siteDir: string): Promise<SiteFiles> {
  const all: string[] = [];
  async function visit(relative: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(siteDir, relative), { withFileTypes: true });
    } catch (error) {
      if (relative === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) all.push(path);
    }
  }
  await visit('');
  all.sort();
  return {
    all,
    html: all.filter((path) => path.toLowerCase().endsWith('.html')),
    css: all.filter((path) => path.toLowerCase().endsWith('.css')),
  };
}
