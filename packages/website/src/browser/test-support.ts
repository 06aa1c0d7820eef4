/**
 * Test support for the browser checks: the system Chromium (never downloaded), temp-dir site
 * fixtures, and a small accessible two-page site that passes every check.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The Chromium the integration tests drive: `CHROMIUM_PATH`, else `/usr/bin/chromium`. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why the browser tests are skipped, or null when Chromium is there. */
export const noChromiumReason: string | null = (() => {
  try {
    accessSync(chromiumPath, constants.X_OK);
    return null;
  } catch {
    return `skipped: no Chromium at ${chromiumPath} (install chromium or set CHROMIUM_PATH)`;
  }
})();

/** A fresh temp directory; `cleanup()` removes every one made so far. */
export function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'sitewright-browser-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Writes `files` (site path → content) under `dir`. */
export async function writeSite(dir: string, files: Record<string, string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

/** A complete HTML page with the landmarks axe expects around `main`. */
export function page(title: string, main: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/styles.css">
${head}
</head>
<body>
<header><nav aria-label="Main"><a href="/">Home</a> <a href="/contact/">Contact</a></nav></header>
<main>
${main}
</main>
<footer><p>Call <a class="phone" href="tel:+15550100">555-0100</a></p></footer>
</body>
</html>
`;
}

/** A good accessible two-page site: home and contact (with a labelled mailto form). */
export const goodSite: Record<string, string> = {
  'styles.css': `body { font-family: sans-serif; color: #222; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1rem; }
a { color: #0645ad; }
nav a { margin-right: 1rem; }
label { display: block; margin-top: 0.5rem; }
`,
  'logo.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60"><rect width="120" height="60" fill="#b22222"/></svg>`,
  'index.html': page(
    "Maria's Pizzeria",
    `<h1>Maria's   Pizzeria</h1>
<p class="tagline">Wood-fired pizza in Springfield.</p>
<img src="/logo.svg" alt="Maria's Pizzeria logo" width="120" height="60">
<p><a href="#hours">See our hours</a> or <a href="contact/">get in touch</a>.</p>
<section id="hours" aria-labelledby="hours-title"><h2 id="hours-title">Hours</h2><p>Mon–Sat 11:00–22:00</p></section>`,
  ),
  'contact/index.html': page(
    "Contact — Maria's Pizzeria",
    `<h1>Contact us</h1>
<p>Email <a href="mailto:maria@example.com">maria@example.com</a> or <a href="../">go back home</a>.</p>
<form id="enquiry" action="mailto:maria@example.com" method="post" enctype="text/plain">
<label for="name">Your name</label><input id="name" name="name" autocomplete="name">
<label>Message <textarea name="message"></textarea></label>
<button type="submit">Send</button>
</form>`,
  ),
};
