/**
 * What the check reads from the rendered DOM, in one evaluation: assertion outcomes, the page's links
 * (resolved by the browser, fragments checked against the document) and its form controls. The
 * function runs inside the page (see `in-page.ts`), so it is self-contained and typed against the few
 * DOM members it uses — this package compiles without the DOM library.
 */

/** One expectation about the elements matching a CSS selector. */
export interface BrowserAssertion {
  selector: string;
  /** At least one match (true) or none (false); the default when nothing else is asked. */
  exists?: boolean;
  /** Some match is visible (true) or none is (false). */
  visible?: boolean;
  /** Some match's text contains this, whitespace normalised, case-sensitive. */
  text?: string;
  /** Exactly this many matches. */
  count?: number;
  /** Some match has this attribute with exactly this value. */
  attribute?: { name: string; value: string };
}

export interface AssertionOutcome {
  passed: boolean;
  detail: string;
}

export interface ProbedLink {
  /** The `href` as written. */
  raw: string;
  /** Absolute URL as the browser resolves it, or null when it cannot be parsed. */
  url: string | null;
  /** For a link into this same document: its fragment names no element. */
  missingFragment: boolean;
}

export interface ProbedForms {
  /** Form controls without an accessible label, described like `input[name=email]`. */
  unlabeled: string[];
  forms: Array<{ description: string; action: string | null; hasSubmit: boolean }>;
  /** The page offers a `mailto:` or `tel:` link: a way to reach the business without the form. */
  hasContactLink: boolean;
  controlCount: number;
}

export interface ProbeInput {
  assertions: BrowserAssertion[];
  links: boolean;
  forms: boolean;
}

export interface ProbeOutput {
  assertions: AssertionOutcome[];
  links: ProbedLink[];
  forms: ProbedForms | null;
}

interface DomElement {
  readonly id: string;
  readonly tagName: string;
  readonly textContent: string | null;
  readonly labels?: ArrayLike<DomElement> | null;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  getBoundingClientRect(): { width: number; height: number };
  checkVisibility(options?: { visibilityProperty?: boolean }): boolean;
}

interface DomDocument {
  readonly baseURI: string;
  readonly URL: string;
  getElementById(id: string): DomElement | null;
  getElementsByName(name: string): ArrayLike<DomElement>;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

const CONTROLS =
  'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea';

/** Runs in the page. Nested helpers are fine (see `in-page.ts`); module-level references are not. */
export function probePage(input: ProbeInput & { controls: string }): ProbeOutput {
  const doc = (globalThis as unknown as { document: DomDocument }).document;
  const normalise = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'}`;
  const isVisible = (element: DomElement) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true });
  };
  const describe = (element: DomElement) => {
    const tag = element.tagName.toLowerCase();
    if (element.id) return `${tag}#${element.id}`;
    const name = element.getAttribute('name');
    if (name) return `${tag}[name=${name}]`;
    const type = element.getAttribute('type');
    return type ? `${tag}[type=${type}]` : tag;
  };

  const assertions = input.assertions.map((assertion): AssertionOutcome => {
    let matches: DomElement[];
    try {
      matches = Array.from(doc.querySelectorAll(assertion.selector));
    } catch {
      return { passed: false, detail: `"${assertion.selector}" is not a valid CSS selector` };
    }
    const count = matches.length;
    const problems: string[] = [];
    const onlyExistence =
      assertion.visible === undefined &&
      assertion.text === undefined &&
      assertion.count === undefined &&
      assertion.attribute === undefined;
    const exists = assertion.exists ?? (onlyExistence ? true : undefined);
    if (exists === true && count === 0) problems.push('no element matches');
    if (exists === false && count > 0) problems.push(`${plural(count, 'match')}, expected none`);
    if (assertion.count !== undefined && count !== assertion.count) {
      problems.push(`${plural(count, 'match')}, expected ${assertion.count}`);
    }
    if (assertion.visible !== undefined) {
      const visible = matches.filter(isVisible).length;
      if (assertion.visible && visible === 0) {
        problems.push(
          count === 0 ? 'nothing to be visible: no element matches' : `none of ${count} is visible`,
        );
      }
      if (!assertion.visible && visible > 0) problems.push(`${visible} of ${count} visible, expected hidden`);
    }
    if (assertion.text !== undefined) {
      const wanted = normalise(assertion.text);
      const texts = matches.map((element) => normalise(element.textContent));
      if (!texts.some((text) => text.includes(wanted))) {
        problems.push(
          count === 0
            ? `no element to contain "${clip(wanted)}"`
            : `no match contains "${clip(wanted)}" (first reads "${clip(texts[0] ?? '')}")`,
        );
      }
    }
    if (assertion.attribute !== undefined) {
      const { name, value } = assertion.attribute;
      const values = matches.map((element) => element.getAttribute(name));
      if (!values.includes(value)) {
        const seen = values.filter((found) => found !== null).slice(0, 3);
        problems.push(
          `no match has ${name}="${clip(value)}"` +
            (seen.length > 0 ? ` (found ${seen.map((found) => `"${clip(found ?? '')}"`).join(', ')})` : ''),
        );
      }
    }
    return problems.length > 0
      ? { passed: false, detail: problems.join('; ') }
      : { passed: true, detail: plural(count, 'match') };
  });

  const links: ProbedLink[] = [];
  if (input.links) {
    const here = doc.URL.replace(/#.*$/, '');
    for (const anchor of Array.from(doc.querySelectorAll('a[href], area[href]'))) {
      const raw = anchor.getAttribute('href') ?? '';
      let url: URL | null = null;
      try {
        url = new URL(raw, doc.baseURI);
      } catch {
        url = null;
      }
      let missingFragment = false;
      if (url && url.hash.length > 1 && url.href.replace(/#.*$/, '') === here) {
        let fragment = url.hash.slice(1);
        try {
          fragment = decodeURIComponent(fragment);
        } catch {
          // An undecodable fragment is looked up as written.
        }
        // `#top` scrolls to the top by definition (HTML spec), with or without such an element.
        missingFragment =
          fragment.toLowerCase() !== 'top' &&
          doc.getElementById(fragment) === null &&
          doc.getElementsByName(fragment).length === 0;
      }
      links.push({ raw, url: url ? url.href : null, missingFragment });
    }
  }

  let forms: ProbedForms | null = null;
  if (input.forms) {
    const hasText = (element: DomElement | null) => normalise(element?.textContent).length > 0;
    const isLabelled = (control: DomElement) => {
      if (normalise(control.getAttribute('aria-label')).length > 0) return true;
      const labelledBy = normalise(control.getAttribute('aria-labelledby')).split(' ');
      if (labelledBy.some((id) => id !== '' && hasText(doc.getElementById(id)))) return true;
      return Array.from(control.labels ?? []).some(hasText);
    };
    const controls = Array.from(doc.querySelectorAll(input.controls));
    forms = {
      unlabeled: controls.filter((control) => !isLabelled(control)).map(describe),
      forms: Array.from(doc.querySelectorAll('form')).map((form, index) => ({
        description: form.id ? `form#${form.id}` : `form ${index + 1}`,
        action: form.getAttribute('action'),
        hasSubmit:
          form.querySelector(
            'button:not([type]), button[type=submit], input[type=submit], input[type=image]',
          ) !== null,
      })),
      hasContactLink: doc.querySelector('a[href^="mailto:" i], a[href^="tel:" i]') !== null,
      controlCount: controls.length,
    };
  }

  return { assertions, links, forms };
}

/** The probe's input with the selector of form controls that need a label. */
export function probeInput(input: ProbeInput): ProbeInput & { controls: string } {
  return { ...input, controls: CONTROLS };
}
