/**
 * Everything a page renderer needs, computed once per site: the brief, the mockup, the template
 * words, the colours and the brief's facts in display form.
 */
import type { Brief, Weekday } from '../brief.ts';
import type { Mockup, MockupPage } from '../mockup.ts';
import { type Copy, copyFor } from './copy.ts';
import { dayNames, groupHours, type HoursGroup, mailtoHref, telHref } from './facts.ts';
import { type ThemeColors, themeColors } from './theme.ts';

export interface SiteContext {
  brief: Brief;
  mockup: Mockup;
  copy: Copy;
  colors: ThemeColors;
  tel: string | undefined;
  mailto: string | undefined;
  hours: HoursGroup[];
  days: Record<Weekday, string>;
  /** The pages other sections link to, when the mockup has them. */
  offeringPage: MockupPage | undefined;
  aboutPage: MockupPage | undefined;
  contactPage: MockupPage | undefined;
}

const isHome = (page: MockupPage) => page.slug === '';

function pageWith(mockup: Mockup, kinds: readonly string[]): MockupPage | undefined {
  return mockup.pages.find((page) => !isHome(page) && page.sections.some((kind) => kinds.includes(kind)));
}

export function createContext(brief: Brief, mockup: Mockup): SiteContext {
  return {
    brief,
    mockup,
    copy: copyFor(brief),
    colors: themeColors(mockup.tokens),
    tel: telHref(brief),
    mailto: mailtoHref(brief),
    hours: groupHours(brief.hours),
    days: dayNames(brief.language),
    offeringPage: pageWith(mockup, ['menu', 'services']),
    aboutPage: pageWith(mockup, ['about']),
    contactPage: pageWith(mockup, ['contact', 'location']),
  };
}

/** Root-relative URL of a page: "/" or "/about/". */
export function pageHref(page: MockupPage): string {
  return page.slug ? `/${page.slug}/` : '/';
}

/** Output path of a page: "index.html" or "about/index.html". */
export function pagePath(page: MockupPage): string {
  return page.slug ? `${page.slug}/index.html` : 'index.html';
}
