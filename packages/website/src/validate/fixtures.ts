/**
 * Test fixtures shared by the validate, seo, hooks and gates tests: a small, valid three-page site,
 * a brief, and a helper that writes any site into a fresh temporary directory. Not part of the
 * public API.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Brief, type BriefInput } from '../brief.ts';

export interface FixturePage {
  title: string;
  heading: string;
  /** Markup placed in `<main>` after the heading. */
  main: string;
  lang?: string;
}

/** A page that passes every check of `validateSite`. */
export function fixturePage({ title, heading, main, lang = 'en' }: FixturePage): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}</title>
    <link rel="stylesheet" href="/styles.css">
  </head>
  <body>
    <header>
      <nav aria-label="Main">
        <a href="/">Home</a>
        <a href="/menu/">Menu</a>
        <a href="/contact/">Contact</a>
      </nav>
    </header>
    <main>
      <h1>${heading}</h1>
${main}
    </main>
    <footer>
      <p><a href="tel:+441632960123">01632 960123</a></p>
    </footer>
  </body>
</html>
`;
}

export const fixtureCss = `:root {
  --brand: #1f6feb;
}

body {
  margin: 0;
  font: 400 1rem/1.5 system-ui, sans-serif;
  color: #1b1b1b;
}

a {
  color: var(--brand);
}

@media (min-width: 40em) {
  main {
    max-width: 60rem;
    margin-inline: auto;
  }
}
`;

/** The valid three-page site: home, menu, contact and a stylesheet. */
export function fixtureSite(): Record<string, string> {
  return {
    'index.html': fixturePage({
      title: 'Maria’s Pizzeria',
      heading: 'Maria’s Pizzeria',
      main: `      <p>Wood-fired pizza in the heart of Leeds since 1998.</p>
      <p><a href="menu/">See the menu</a> or <a href="contact/#hours">check our hours</a>.</p>`,
    }),
    'menu/index.html': fixturePage({
      title: 'Menu — Maria’s Pizzeria',
      heading: 'Menu',
      main: `      <p>Every pizza is made to order with dough rested for 48 hours.</p>
      <h2>Pizza</h2>
      <ul>
        <li>Margherita — £9</li>
      </ul>
      <p><a href="../">Back home</a></p>`,
    }),
    'contact/index.html': fixturePage({
      title: 'Contact — Maria’s Pizzeria',
      heading: 'Contact us',
      main: `      <p>Call us or drop by; we would love to see you.</p>
      <h2 id="hours">Opening hours</h2>
      <p>Monday to Saturday, 11:00 to 22:00.</p>`,
    }),
    'styles.css': fixtureCss,
  };
}

/** Writes `files` (site path → content) into a new temporary directory and returns its path. */
export async function writeSite(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sitewright-site-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** A complete brief for a restaurant; `overrides` replace top-level fields. */
export function fixtureBrief(overrides: Partial<BriefInput> = {}): Brief {
  return Brief.parse({
    businessName: 'Maria’s Pizzeria',
    industry: 'restaurant',
    tagline: 'Wood-fired pizza in the heart of Leeds',
    description: 'A family pizzeria baking Neapolitan pizza in a wood-fired oven since 1998.',
    services: [
      { name: 'Dine in', description: 'Forty seats and a garden.' },
      { name: 'Takeaway', price: 'from £9' },
    ],
    tone: 'friendly',
    contact: {
      phone: '+44 1632 960123',
      email: 'hello@marias.example',
      address: { street: '12 Market Street', locality: 'Leeds', postalCode: 'LS1 6DT', country: 'GB' },
    },
    hours: [
      { days: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'], opens: '11:00', closes: '22:00' },
      { days: ['Su'], opens: '12:00', closes: '20:00' },
    ],
    social: ['https://www.instagram.com/mariaspizzeria.example'],
    colors: { primary: '#b3261e' },
    language: 'en-GB',
    ...overrides,
  });
}
