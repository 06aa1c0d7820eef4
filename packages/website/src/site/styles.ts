/**
 * The site's one stylesheet, mobile first, built from the design tokens. Colours come only from
 * `ThemeColors`, whose text pairs are all AA; the tone picks the hero treatment and heading style.
 */
import type { Tone } from '../brief.ts';
import type { DesignTokens } from '../mockup.ts';
import type { ThemeColors } from './theme.ts';

/** Friendly, playful and bold sites open on a brand-coloured hero; the others on a light tint. */
export const FILLED_HERO: Record<Tone, boolean> = {
  friendly: true,
  playful: true,
  bold: true,
  professional: false,
  elegant: false,
};

const HEADING_STYLE: Record<Tone, string> = {
  friendly: 'font-weight: 800; letter-spacing: -0.015em;',
  playful: 'font-weight: 800; letter-spacing: -0.01em;',
  professional: 'font-weight: 700; letter-spacing: -0.02em;',
  elegant: 'font-weight: 500; letter-spacing: 0;',
  bold: 'font-weight: 900; letter-spacing: -0.03em; text-transform: uppercase;',
};

/** A small phone glyph for call buttons; decorative, drawn with a CSS mask so it takes the text colour. */
const PHONE_ICON =
  "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z'/%3E%3C/svg%3E\")";

export interface StylesheetInput {
  colors: ThemeColors;
  tokens: DesignTokens;
  tone: Tone;
}

export function renderStylesheet({ colors: c, tokens, tone }: StylesheetInput): string {
  const radius = tokens.radius;
  const filled = FILLED_HERO[tone];
  return `/* Generated from the approved mockup's design tokens. */
:root {
  --primary: ${c.primary};
  --on-primary: ${c.onPrimary};
  --primary-ink: ${c.primaryInk};
  --accent: ${c.accent};
  --on-accent: ${c.onAccent};
  --bg: ${c.background};
  --surface: ${c.surface};
  --tint: ${c.tint};
  --text: ${c.text};
  --muted: ${c.muted};
  --border: ${c.border};
  --dark: ${c.dark};
  --on-dark: ${c.onDark};
  --muted-on-dark: ${c.mutedOnDark};
  --font-heading: ${tokens.fonts.heading};
  --font-body: ${tokens.fonts.body};
  --radius: ${radius}px;
  --radius-small: ${Math.min(radius, 10)}px;
  --radius-button: ${tone === 'playful' || tone === 'friendly' ? '999px' : `${Math.min(radius, 10)}px`};
  --shadow: 0 1px 2px rgb(0 0 0 / 0.05), 0 10px 30px -16px rgb(0 0 0 / 0.25);
  --container: 72rem;
  --band-space: clamp(3.5rem, 9vw, 6.5rem);
}

*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font-family: var(--font-body);
  font-size: 1.0625rem;
  line-height: 1.65;
  -webkit-font-smoothing: antialiased;
  overflow-wrap: break-word;
}
h1, h2, h3 {
  font-family: var(--font-heading);
  line-height: 1.12;
  margin: 0 0 0.6em;
  text-wrap: balance;
  ${HEADING_STYLE[tone]}
}
h1 { font-size: clamp(2.4rem, 5.5vw + 1rem, 4.25rem); }
h2 { font-size: clamp(1.65rem, 2.2vw + 1rem, 2.5rem); }
h3 { font-size: 1.2rem; font-weight: 700; line-height: 1.3; letter-spacing: 0; text-transform: none; }
p { margin: 0 0 1em; }
ul { margin: 0; }
a { color: var(--primary-ink); text-decoration-thickness: 0.08em; text-underline-offset: 0.2em; }
a:hover { text-decoration-thickness: 0.16em; }
:focus-visible { outline: 3px solid var(--primary-ink); outline-offset: 3px; }
address { font-style: normal; }
table { border-collapse: collapse; }

.visually-hidden {
  position: absolute !important;
  width: 1px; height: 1px;
  margin: -1px; padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}
.skip-link {
  position: absolute;
  left: 1rem;
  top: -100px;
  z-index: 10;
  padding: 0.75rem 1.25rem;
  background: var(--surface);
  color: var(--text);
  font-weight: 700;
  border-radius: var(--radius-small);
  box-shadow: var(--shadow);
}
.skip-link:focus { top: 1rem; }
.container { width: min(100% - 2.5rem, var(--container)); margin-inline: auto; }

/* Header: brand and call button on one row, navigation below on phones, all on one row from 56rem. */
.site-header {
  background: var(--surface);
  border-bottom: 1px solid var(--border);
}
.header-inner {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem 1rem;
  padding-block: 0.75rem;
}
.brand {
  margin-right: auto;
  color: var(--text);
  font-family: var(--font-heading);
  font-size: clamp(1.1rem, 0.9rem + 1vw, 1.35rem);
  font-weight: 800;
  line-height: 1.2;
  text-decoration: none;
}
.brand:hover { color: var(--primary-ink); }
.site-nav { order: 3; width: 100%; margin-inline: -0.5rem; }
.site-nav ul { display: flex; flex-wrap: wrap; gap: 0 0.25rem; padding: 0; list-style: none; }
.site-nav a {
  display: block;
  padding: 0.6rem 0.5rem;
  font-size: 0.92rem;
  border-radius: var(--radius-small);
  color: var(--text);
  font-weight: 600;
  text-decoration: none;
  white-space: nowrap;
}
.site-nav a:hover { background: var(--tint); }
.site-nav a[aria-current="page"] {
  color: var(--primary-ink);
  text-decoration: underline;
  text-decoration-thickness: 3px;
  text-underline-offset: 0.45em;
}
.header-action .when-wide { display: none; }
@media (min-width: 40rem) {
  .header-action .when-wide { display: inline; }
  .header-action .when-narrow { display: none; }
}
@media (min-width: 56rem) {
  .header-inner { flex-wrap: nowrap; padding-block: 1rem; }
  .site-nav { order: 0; width: auto; margin: 0; }
  .site-nav a { padding-inline: 0.75rem; font-size: 1rem; }
  .header-action { order: 1; }
}

/* Buttons */
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1.75rem; }
.button {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  gap: 0.55rem;
  min-height: 3rem;
  padding: 0.75rem 1.4rem;
  border: 2px solid var(--primary);
  border-radius: var(--radius-button);
  background: var(--primary);
  color: var(--on-primary);
  font-weight: 700;
  line-height: 1.2;
  text-align: center;
  text-decoration: none;
}
.button:hover { text-decoration: underline; text-decoration-thickness: 2px; }
.button-secondary { background: transparent; color: var(--primary-ink); border-color: currentColor; }
.button-small { min-height: 2.75rem; padding: 0.5rem 1rem; font-size: 0.95rem; }
.button-call::before {
  content: "";
  width: 1.1em;
  height: 1.1em;
  flex: none;
  background: currentColor;
  -webkit-mask: ${PHONE_ICON} center / contain no-repeat;
  mask: ${PHONE_ICON} center / contain no-repeat;
}

/* Bands */
.band { padding-block: var(--band-space); }
.band-alt { background: var(--surface); border-block: 1px solid var(--border); }
.eyebrow {
  margin-bottom: 0.75rem;
  font-size: 0.85rem;
  font-weight: 700;
  letter-spacing: 0.12em;
  text-transform: uppercase;
}
.lead { font-size: clamp(1.15rem, 1vw + 1rem, 1.4rem); line-height: 1.5; max-width: 38em; }
.more { margin: 2rem 0 0; font-weight: 700; }
.more a::after { content: " →"; }

/* Hero */
.hero {
  background: ${filled ? 'var(--primary)' : 'var(--tint)'};
  color: ${filled ? 'var(--on-primary)' : 'var(--text)'};
  padding-block: clamp(3rem, 8vw, 6rem);
}
.hero-grid { display: grid; gap: 2.5rem; align-items: center; }
.hero h1 { margin-bottom: 0.35em; ${filled ? '' : 'color: var(--primary-ink);'} }
.hero h1::after {
  content: "";
  display: block;
  width: 4.5rem;
  height: 0.3rem;
  margin-top: 0.45em;
  border-radius: 999px;
  background: var(--accent);
}
.hero .lead { margin-bottom: 0; }
${
  filled
    ? `.hero .button { background: var(--on-primary); border-color: var(--on-primary); color: var(--primary); }
.hero .button-secondary { background: transparent; color: var(--on-primary); border-color: var(--on-primary); }`
    : ''
}
.hero-card {
  padding: clamp(1.25rem, 3vw, 2rem);
  background: var(--surface);
  color: var(--text);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
  border-top: 5px solid var(--accent);
}
.hero-card h2 {
  margin: 0 0 0.5rem;
  font-family: var(--font-body);
  font-size: 0.85rem;
  font-weight: 700;
  letter-spacing: 0.1em;
  text-transform: uppercase;
  color: var(--muted);
}
.hero-card h2 ~ h2 { margin-top: 1.5rem; }
.hero-card address { margin-bottom: 0.5rem; }
.hero-card p { margin: 0; }
@media (min-width: 60rem) {
  .hero-grid { grid-template-columns: minmax(0, 1.5fr) minmax(18rem, 1fr); gap: 4rem; }
}

/* Inner page header */
.page-header { background: var(--tint); padding-block: clamp(2.25rem, 5vw, 3.75rem); }
.page-header h1 { margin: 0; color: var(--primary-ink); }
.page-header .eyebrow { color: var(--muted); }
.page-header .lead { margin: 1rem 0 0; }
.page-header .button { margin-top: 1.5rem; }

/* Service cards */
.cards {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr));
  gap: 1.25rem;
  padding: 0;
  list-style: none;
}
.card {
  display: flex;
  flex-direction: column;
  gap: 0.5rem;
  padding: 1.5rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-top: 4px solid var(--accent);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
}
.band-alt .card { background: var(--bg); }
.card h2, .card h3 { margin: 0; font-size: 1.25rem; letter-spacing: 0; text-transform: none; }
.card p { margin: 0; color: var(--muted); }
.card .price { margin-top: auto; padding-top: 0.5rem; color: var(--primary-ink); font-weight: 800; font-size: 1.1rem; }

/* Menu: name, dotted leader, price */
.menu-list { padding: 0; list-style: none; }
.menu-item { padding-block: 1.1rem; border-bottom: 1px solid var(--border); break-inside: avoid; }
.menu-item-head { display: flex; align-items: baseline; gap: 0.75rem; }
.menu-item-head h2, .menu-item-head h3 { margin: 0; font-size: 1.3rem; letter-spacing: 0; text-transform: none; }
.menu-item .leader { flex: 1; min-width: 1.5rem; border-bottom: 2px dotted var(--border); }
.menu-item .price { margin: 0; color: var(--primary-ink); font-weight: 800; white-space: nowrap; font-variant-numeric: tabular-nums; }
.menu-item > p { margin: 0.3rem 0 0; color: var(--muted); }
@media (min-width: 60rem) {
  .menu-list { columns: 2; column-gap: 4rem; }
}

/* About */
.split { display: grid; gap: 2.5rem; }
.prose { max-width: 40em; }
.prose p { font-size: 1.125rem; }
.panel {
  align-self: start;
  padding: 1.75rem;
  background: var(--tint);
  border-left: 5px solid var(--accent);
  border-radius: var(--radius);
}
.panel h2, .panel h3 { font-size: 1.2rem; letter-spacing: 0; text-transform: none; }
.panel p { margin: 0; }
@media (min-width: 56rem) {
  .split { grid-template-columns: minmax(0, 1.4fr) minmax(0, 1fr); gap: 4rem; }
}

/* Opening hours */
.hours { width: 100%; max-width: 30rem; font-variant-numeric: tabular-nums; }
.hours th, .hours td { padding: 0.65rem 0; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
.hours th { padding-right: 1.5rem; font-weight: 700; white-space: nowrap; }
.hours .closed td { color: var(--muted); }
.hours-compact th, .hours-compact td { padding-block: 0.35rem; font-size: 0.95rem; }
.interval { white-space: nowrap; }

/* Contact */
.contact-grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
  gap: 1.25rem;
  padding: 0;
  list-style: none;
}
.contact-card {
  padding: 1.5rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
}
.contact-card h2, .contact-card h3 {
  margin: 0 0 0.5rem;
  font-family: var(--font-body);
  font-size: 0.85rem;
  font-weight: 700;
  letter-spacing: 0.1em;
  text-transform: uppercase;
  color: var(--muted);
}
.contact-value { margin: 0; font-size: 1.25rem; font-weight: 700; overflow-wrap: anywhere; }
.address-block { margin-bottom: 1.5rem; font-size: 1.2rem; line-height: 1.5; }
.areas { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; list-style: none; }
.areas li {
  padding: 0.35rem 0.9rem;
  background: var(--accent);
  color: var(--on-accent);
  border-radius: 999px;
  font-weight: 600;
}
.social { padding: 0; list-style: none; }
.social li + li { margin-top: 0.35rem; }
.social a { font-weight: 600; }
.tel { white-space: nowrap; }

/* Closing call to action */
.cta { background: var(--primary); color: var(--on-primary); text-align: center; }
.cta-inner { max-width: 44rem; }
.cta h2 { margin-bottom: 0.4em; }
.cta p { margin: 0; font-size: 1.15rem; }
.cta .actions { justify-content: center; }
.cta .button { background: var(--on-primary); border-color: var(--on-primary); color: var(--primary); }
.cta .button-secondary { background: transparent; color: var(--on-primary); }

/* Footer: name, address and phone, identical on every page */
.site-footer { padding-block: 3.5rem 3rem; background: var(--dark); color: var(--on-dark); font-size: 0.98rem; }
.site-footer a { color: var(--on-dark); }
.footer-grid { display: grid; gap: 2.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr)); }
.footer-name { margin-bottom: 0.5rem; font-family: var(--font-heading); font-size: 1.25rem; font-weight: 800; }
.site-footer h2 {
  margin-bottom: 0.75rem;
  font-family: var(--font-body);
  font-size: 0.8rem;
  font-weight: 700;
  letter-spacing: 0.12em;
  text-transform: uppercase;
  color: var(--muted-on-dark);
}
.site-footer .hours th, .site-footer .hours td { border-color: rgb(255 255 255 / 0.14); }
.site-footer .hours .closed td { color: var(--muted-on-dark); }
.site-footer ul { padding: 0; list-style: none; }
.site-footer nav li + li, .footer-links li + li { margin-top: 0.35rem; }
.site-footer .areas li { background: transparent; color: var(--on-dark); border: 1px solid var(--muted-on-dark); }

@media (prefers-reduced-motion: no-preference) {
  .button, .site-nav a { transition: background-color 0.15s ease, color 0.15s ease; }
}
@media print {
  .skip-link, .site-nav, .actions, .header-action { display: none; }
  .hero, .cta, .site-footer { background: none; color: #000; }
}
`;
}
