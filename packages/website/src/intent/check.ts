/**
 * The intent audit: does the built site say what the brief says, and nothing more? Deterministic —
 * the same brief and pages always give the same verdict — and precise: each failure names the page
 * and the text. It reads pages the way a visitor does (visible text, links), so it works on sites the
 * demo worker generated and on sites a model wrote by hand.
 */
import type { Brief, Weekday } from '../brief.ts';
import { copyFor } from '../site/copy.ts';
import { countryOf, dayNames, formatIntervals, hoursByDay, normalizePhone, WEEK } from '../site/facts.ts';
import { offeringSlug } from '../site/mockup.ts';
import { dayLookup, intervalsIn, parseDays, timesIn } from './hours.ts';
import { findAll, type HtmlElement, metaText, normalizeText, parseHtml, visibleText } from './html-text.ts';
import { CLAIM_PATTERNS, findPatterns, PLACEHOLDER_PATTERNS } from './patterns.ts';

export interface SiteFileInput {
  path: string;
  content: string;
}

export interface IntentCriterion {
  name: string;
  passed: boolean;
  detail?: string;
}

export interface IntentResult {
  passed: boolean;
  criteria: IntentCriterion[];
}

interface Page {
  path: string;
  root: HtmlElement;
  text: string;
  meta: string;
}

/** Shared by the criteria: the brief's facts in comparable form. */
interface Facts {
  brief: Brief;
  /** Every string in the brief, lower-cased: what the owner said may be repeated. */
  ownText: string;
  country: string | undefined;
}

const MAX_DETAILS = 6;

function criterion(name: string, problems: string[], passDetail?: string): IntentCriterion {
  if (problems.length === 0)
    return passDetail ? { name, passed: true, detail: passDetail } : { name, passed: true };
  const shown = problems.slice(0, MAX_DETAILS);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return { name, passed: false, detail: shown.join('; ') + more };
}

function briefStrings(brief: Brief): string[] {
  const { contact } = brief;
  return [
    brief.businessName,
    brief.tagline ?? '',
    brief.description,
    brief.audience ?? '',
    ...brief.services.flatMap((s) => [s.name, s.description ?? '', s.price ?? '']),
    ...Object.values(contact.address ?? {}).filter((v): v is string => typeof v === 'string'),
    ...(contact.serviceArea ?? []),
  ].filter(Boolean);
}

const compact = (text: string) => normalizeText(text).replace(/\s+/g, ' ');

/** The business name is on every page. */
function checkName(pages: Page[], facts: Facts): IntentCriterion {
  const name = compact(facts.brief.businessName);
  const missing = pages.filter((page) => !compact(page.text).includes(name)).map((page) => page.path);
  return criterion(
    'business name on every page',
    missing.map((path) => `${path}: "${facts.brief.businessName}" not found`),
  );
}

/** Digit runs that look like phone numbers: 7+ digits in groups joined by single separators. */
const PHONE_CANDIDATE = /(?<![\w+])(?:\+|\(\+?)?\d[\d ().\-/]{5,}\d(?![\w])/g;

function phoneCandidates(text: string, own: string | undefined): string[] {
  return text.split('\n').flatMap((line) => {
    // The brief's number, exactly as written, is fine; cut it out so neighbouring digits stand alone.
    const rest = own ? line.split(own).join('\n') : line;
    return [...rest.matchAll(PHONE_CANDIDATE)]
      .map((m) => m[0].trim())
      .filter((m) => m.replace(/\D/g, '').length >= 7);
  });
}

function jsonLdValues(root: HtmlElement, key: string): string[] {
  const values: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === key && typeof v === 'string') values.push(v);
        else walk(v);
      }
    }
  };
  for (const script of findAll(
    root,
    (el) => el.tag === 'script' && el.attrs.type === 'application/ld+json',
  )) {
    try {
      walk(JSON.parse(script.children.join('')));
    } catch {
      // Invalid JSON-LD is the SEO validator's finding, not the intent audit's.
    }
  }
  return values;
}

const hrefsWith = (root: HtmlElement, scheme: string) =>
  findAll(root, (el) => el.tag === 'a' && (el.attrs.href ?? '').toLowerCase().startsWith(scheme)).map(
    (el) => el.attrs.href ?? '',
  );

/** Every phone number shown or linked equals the brief's; the brief's number is on the site. */
function checkPhones(pages: Page[], facts: Facts): IntentCriterion[] {
  const { phone } = facts.brief.contact;
  const expected = phone ? normalizePhone(phone, facts.country) : undefined;
  const problems: string[] = [];
  let shown = false;
  for (const page of pages) {
    for (const found of phoneCandidates(page.text, phone)) {
      if (facts.ownText.includes(found.toLowerCase())) continue;
      problems.push(
        phone
          ? `${page.path}: phone "${found}" differs from the brief's "${phone}"`
          : `${page.path}: phone "${found}" shown but the brief has no phone number`,
      );
    }
    if (phone && compact(page.text).includes(compact(phone))) shown = true;
    const linked = [
      ...hrefsWith(page.root, 'tel:').map((href) => ({
        value: decodeURIComponent(href.slice(4)),
        where: href,
      })),
      ...jsonLdValues(page.root, 'telephone').map((value) => ({
        value,
        where: `JSON-LD telephone "${value}"`,
      })),
    ];
    for (const { value, where } of linked) {
      if (expected && normalizePhone(value, facts.country) === expected) continue;
      problems.push(
        phone
          ? `${page.path}: ${where} does not dial the brief's "${phone}"`
          : `${page.path}: ${where} but the brief has no phone number`,
      );
    }
  }
  const results = [criterion('phone numbers match the brief', problems)];
  if (phone) {
    results.push(criterion('phone number is on the site', shown ? [] : [`"${phone}" appears on no page`]));
  }
  return results;
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Every email address shown or linked equals the brief's; the brief's address is on the site. */
function checkEmails(pages: Page[], facts: Facts): IntentCriterion[] {
  const { email } = facts.brief.contact;
  const expected = email?.toLowerCase();
  const problems: string[] = [];
  let shown = false;
  for (const page of pages) {
    const seen = [
      ...[...page.text.matchAll(EMAIL)].map((m) => ({ value: m[0], where: `email "${m[0]}"` })),
      ...hrefsWith(page.root, 'mailto:').map((href) => ({
        value: decodeURIComponent(href.slice(7).split('?')[0] ?? ''),
        where: href,
      })),
      ...jsonLdValues(page.root, 'email').map((value) => ({
        value: value.replace(/^mailto:/i, ''),
        where: `JSON-LD email "${value}"`,
      })),
    ];
    for (const { value, where } of seen) {
      const normalized = value.toLowerCase();
      if (normalized === expected) {
        shown = true;
        continue;
      }
      if (facts.ownText.includes(normalized)) continue;
      problems.push(
        email
          ? `${page.path}: ${where} differs from the brief's "${email}"`
          : `${page.path}: ${where} but the brief has no email address`,
      );
    }
  }
  const results = [criterion('email addresses match the brief', problems)];
  if (email)
    results.push(criterion('email address is on the site', shown ? [] : [`"${email}" appears on no page`]));
  return results;
}

/**
 * Wherever an `<address>` block shows a postal address, every field of the brief's address is in it
 * verbatim; and the address is on the site at all.
 */
function checkAddress(pages: Page[], facts: Facts): IntentCriterion[] {
  const { address, phone, email } = facts.brief.contact;
  if (!address) return [];
  const fields = [
    address.street,
    address.locality,
    address.region,
    address.postalCode,
    address.country,
  ].filter((field): field is string => Boolean(field));
  const problems: string[] = [];
  let shown = false;
  for (const page of pages) {
    for (const block of findAll(page.root, (el) => el.tag === 'address')) {
      const text = compact(visibleText(block));
      let rest = text;
      for (const known of [phone, email]) if (known) rest = rest.split(compact(known)).join(' ');
      if (rest.replace(/[\s,·|]/g, '').length < 4) continue; // phone/email only: no postal address here
      const missing = fields.filter((field) => !text.includes(compact(field)));
      if (missing.length === 0) shown = true;
      else problems.push(`${page.path}: address "${text}" lacks ${missing.map((f) => `"${f}"`).join(', ')}`);
    }
  }
  return [
    criterion('address matches the brief wherever shown', problems),
    criterion('address is on the site', shown ? [] : ['no <address> block shows the full address']),
  ];
}

/**
 * Hours shown match the brief: every time on the site is one of the brief's, every row of an hours
 * table gives its days exactly the brief's intervals, and some page shows the hours of every open day.
 * A brief without hours means a site without hours.
 */
function checkHours(pages: Page[], facts: Facts): IntentCriterion {
  const { brief } = facts;
  const copy = copyFor(brief);
  const expected = hoursByDay(brief.hours);
  // Times the owner wrote anywhere in the brief ("kitchen closes at 9:30pm") may appear too.
  const allowed = new Set([...brief.hours.flatMap((h) => [h.opens, h.closes]), ...timesIn(facts.ownText)]);
  const lookup = dayLookup(brief.language);
  const names = dayNames(brief.language);
  const openDays = WEEK.filter((day) => (expected.get(day) ?? []).length > 0);
  const problems: string[] = [];
  let complete = brief.hours.length === 0;
  for (const page of pages) {
    const stray = [...new Set(timesIn(page.text))].filter((t) => !allowed.has(t));
    if (stray.length > 0) {
      problems.push(
        brief.hours.length === 0
          ? `${page.path}: shows times ${stray.join(', ')} but the brief has no opening hours`
          : `${page.path}: time ${stray.join(', ')} is not in the brief's hours`,
      );
    }
    const covered = new Set<Weekday>();
    for (const row of findAll(page.root, (el) => el.tag === 'tr')) {
      const cells = findAll(row, (el) => el.tag === 'th' || el.tag === 'td').map((cell) =>
        compact(visibleText(cell)),
      );
      const [label, ...values] = cells;
      const value = values.join(' ');
      const days = label ? parseDays(label, lookup) : undefined;
      if (!days || !(timesIn(value).length > 0 || /closed|fermé|geschlossen|cerrado|定休日|休/i.test(value)))
        continue;
      const shown = intervalsIn(value);
      for (const day of days) {
        covered.add(day);
        const want = expected.get(day) ?? [];
        const same =
          want.length === shown.length &&
          want.every((i, n) => i.opens === shown[n]?.opens && i.closes === shown[n]?.closes);
        if (!same) {
          problems.push(
            `${page.path}: ${label} shows "${value}" but the brief says ${names[day]} ${formatIntervals(want, copy)}`,
          );
          break;
        }
      }
    }
    if (openDays.length > 0 && openDays.every((day) => covered.has(day))) complete = true;
  }
  if (!complete) problems.push('no page shows the opening hours of every open day');
  return criterion('opening hours match the brief', problems);
}

/** The page that lists the offering: the mockup's slug, a conventional name, or the whole site. */
function offeringPages(pages: Page[], brief: Brief): Page[] {
  const bySlug = pages.filter((page) => page.path === `${offeringSlug(brief)}/index.html`);
  if (bySlug.length > 0) return bySlug;
  const conventional = pages.filter((page) =>
    /^(menu|services|treatments|products|sessions|prices|shop|what-we-do)(\/|\.html)/.test(page.path),
  );
  return conventional.length > 0 ? conventional : pages;
}

function checkServices(pages: Page[], facts: Facts): IntentCriterion {
  const targets = offeringPages(pages, facts.brief);
  const where = targets.length === 1 ? targets[0]?.path : 'the site';
  const text = targets.map((page) => compact(page.text)).join('\n');
  const missing = facts.brief.services.filter((service) => !text.includes(compact(service.name)));
  return criterion(
    'every service is listed',
    missing.map((service) => `"${service.name}" is not on ${where}`),
  );
}

const PRICE = /[£$€¥₩₹]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|円|kr|zł|CHF)/g;

/** Prices appear only as the owner wrote them. */
function checkPrices(pages: Page[], facts: Facts): IntentCriterion {
  const problems: string[] = [];
  for (const page of pages) {
    for (const m of page.text.matchAll(PRICE)) {
      const price = m[0].replace(/[.,]$/, '');
      if (!facts.ownText.includes(price.toLowerCase()))
        problems.push(`${page.path}: price "${price}" is not in the brief`);
    }
  }
  return criterion('prices come from the brief', problems);
}

function checkPatterns(
  pages: Page[],
  facts: Facts,
  name: string,
  patterns: typeof PLACEHOLDER_PATTERNS,
  extra: (page: Page) => string[] = () => [],
): IntentCriterion {
  const problems: string[] = [];
  for (const page of pages) {
    for (const hit of findPatterns(`${page.text}\n${page.meta}`, patterns, facts.ownText)) {
      problems.push(`${page.path}: ${hit.name} ("${hit.match}")`);
    }
    problems.push(...extra(page));
  }
  return criterion(name, problems);
}

/** Links that go nowhere or to example domains are placeholders too. */
function placeholderLinks(page: Page): string[] {
  return findAll(page.root, (el) => el.tag === 'a' || el.tag === 'img' || el.tag === 'link')
    .map((el) => el.attrs.href ?? el.attrs.src ?? '')
    .filter(
      (url) =>
        url === '#' ||
        /^(?:https?:)?\/\/(?:[\w-]+\.)*example\.(?:com|org|net)\b|@example\.(?:com|org|net)\b/i.test(url),
    )
    .map((url) => `${page.path}: placeholder link "${url}"`);
}

/** Audits HTML files of a site against the brief. Non-HTML files are ignored. */
export function checkIntent(brief: Brief, files: ReadonlyArray<SiteFileInput>): IntentResult {
  const pages: Page[] = files
    .filter((file) => file.path.endsWith('.html'))
    .map((file) => {
      const root = parseHtml(file.content);
      return { path: file.path, root, text: visibleText(root), meta: metaText(root) };
    });
  const facts: Facts = {
    brief,
    ownText: briefStrings(brief).map(compact).join('\n').toLowerCase(),
    country: countryOf(brief),
  };
  const criteria: IntentCriterion[] = [
    criterion('site has pages', pages.length === 0 ? ['no HTML pages to check'] : []),
    checkName(pages, facts),
    ...checkPhones(pages, facts),
    ...checkEmails(pages, facts),
    ...checkAddress(pages, facts),
    checkHours(pages, facts),
    checkServices(pages, facts),
    checkPrices(pages, facts),
    checkPatterns(pages, facts, 'no placeholder text', PLACEHOLDER_PATTERNS, placeholderLinks),
    checkPatterns(pages, facts, 'no invented claims', CLAIM_PATTERNS),
  ];
  return { passed: criteria.every((c) => c.passed), criteria };
}
