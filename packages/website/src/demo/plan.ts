/**
 * The demo worker's plan: work items derived from the approved mockup, the files each item writes
 * (from the site generator) and the browser checks that verify it.
 */
import type { NewWorkItem } from '@sitewright/engine';
import type { Brief } from '../brief.ts';
import type { Mockup, MockupPage } from '../mockup.ts';

export const FOUNDATION = 'Layout and styles';
export const CONTACT_DETAILS = 'Contact details and click-to-call';
export const SEARCH_FILES = 'Search engine files';
export const ACCESSIBILITY = 'Accessibility pass';

export interface Assertion {
  selector: string;
  exists?: boolean;
  visible?: boolean;
  text?: string;
  count?: number;
}

export interface PlannedCheck {
  page: string;
  assertions: Assertion[];
  checkLinks?: boolean;
  viewport?: 'desktop' | 'tablet' | 'phone';
}

export const pageName = (page: MockupPage) => `${page.nav} page`;
export const pagePath = (page: MockupPage) => (page.slug ? `/${page.slug}/` : '/');
export const pageFile = (page: MockupPage) => (page.slug ? `${page.slug}/index.html` : 'index.html');

export function planItems(brief: Brief, mockup: Mockup): NewWorkItem[] {
  const pages = mockup.pages.map((page) => pageName(page));
  return [
    {
      name: FOUNDATION,
      category: 'foundation',
      layer: 0,
      description:
        'One mobile-first stylesheet from the approved design tokens, and a friendly “page not found” page.',
      steps: ['The stylesheet loads', 'Text is readable and the layout holds from 390 px to 1280 px wide'],
    },
    ...mockup.pages.map((page) => ({
      name: pageName(page),
      category: 'page',
      layer: 1,
      description: `The ${page.title} page with: ${page.sections.join(', ')}.`,
      steps: [
        `${pagePath(page)} shows one main heading`,
        `${brief.businessName} appears on the page`,
        'The navigation marks the current page',
      ],
      dependencies: [FOUNDATION],
    })),
    {
      name: CONTACT_DETAILS,
      category: 'contact',
      layer: 2,
      description: 'Phone, email and address exactly as in the brief, with click-to-call and email links.',
      steps: [
        ...(brief.contact.phone ? [`The phone number ${brief.contact.phone} is a tel: link`] : []),
        ...(brief.contact.email ? [`${brief.contact.email} is a mailto: link`] : []),
        'Every internal link works',
      ],
      dependencies: pages,
    },
    {
      name: SEARCH_FILES,
      category: 'seo',
      layer: 3,
      description:
        'Canonical links, descriptions, Open Graph, LocalBusiness structured data, sitemap, robots.txt and llms.txt.',
      steps: [
        'The home page has a canonical link and structured data',
        'sitemap.xml, robots.txt and llms.txt exist',
      ],
      dependencies: pages,
    },
    {
      name: ACCESSIBILITY,
      category: 'accessibility',
      layer: 3,
      description: 'Automated WCAG 2.1 AA checks on every page, on a phone-sized screen.',
      steps: mockup.pages.map((page) => `${pagePath(page)} has no serious accessibility problems`),
      dependencies: pages,
    },
  ];
}

/** The generated files an item writes (by item name). */
export function filesForItem(
  itemName: string,
  site: ReadonlyArray<{ path: string; content: string }>,
  mockup: Mockup,
): Array<{ path: string; content: string }> {
  if (itemName === FOUNDATION) return site.filter((file) => !file.path.endsWith('index.html'));
  const page = mockup.pages.find((candidate) => pageName(candidate) === itemName);
  if (page) return site.filter((file) => file.path === pageFile(page));
  return [];
}

/** How the demo worker verifies an item in the browser. */
export function checksForItem(itemName: string, brief: Brief, mockup: Mockup): PlannedCheck[] {
  const home = mockup.pages[0] as MockupPage;
  const contact = mockup.pages.find((page) => page.sections.includes('contact')) ?? home;
  if (itemName === FOUNDATION) {
    // Pages link to each other before all of them exist: links are checked once every page is written.
    return [
      {
        page: '/404.html',
        checkLinks: false,
        assertions: [{ selector: 'link[rel="stylesheet"]', exists: true }],
        viewport: 'phone',
      },
    ];
  }
  const page = mockup.pages.find((candidate) => pageName(candidate) === itemName);
  if (page) {
    return [
      {
        page: pagePath(page),
        checkLinks: false,
        assertions: [
          { selector: 'h1', count: 1, visible: true },
          { selector: 'body', text: brief.businessName },
          { selector: 'nav [aria-current="page"]', exists: true },
        ],
      },
    ];
  }
  if (itemName === CONTACT_DETAILS) {
    return [
      {
        page: pagePath(contact),
        checkLinks: true,
        assertions: [
          ...(brief.contact.phone ? [{ selector: 'a[href^="tel:"]', text: brief.contact.phone }] : []),
          ...(brief.contact.email ? [{ selector: 'a[href^="mailto:"]', text: brief.contact.email }] : []),
          ...(brief.contact.address ? [{ selector: 'address', text: brief.contact.address.street }] : []),
        ],
      },
    ];
  }
  if (itemName === SEARCH_FILES) {
    return [
      {
        page: '/',
        assertions: [
          { selector: 'link[rel="canonical"]', exists: true },
          { selector: 'script[type="application/ld+json"]', exists: true },
          { selector: 'meta[name="description"]', exists: true },
        ],
      },
    ];
  }
  if (itemName === ACCESSIBILITY) {
    return mockup.pages.map((candidate) => ({
      page: pagePath(candidate),
      checkLinks: true,
      assertions: [],
      viewport: 'phone' as const,
    }));
  }
  // Items the demo did not plan (added by the owner): verify the home page still works.
  return [{ page: '/', checkLinks: true, assertions: [{ selector: 'h1', count: 1 }] }];
}
