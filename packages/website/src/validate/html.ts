import { type ConfigData, type HtmlElement, HtmlValidate, Parser, type ResolvedConfig } from 'html-validate';
import { decodeEntities } from './entities.ts';

/**
 * html-validate's configuration for site pages: the recommended and document presets with only
 * purely stylistic rules switched off — every real error (structure, content model, accessibility,
 * deprecated markup, inline styles, duplicate ids) stays an error.
 */
export const htmlValidateConfig: ConfigData = {
  extends: ['html-validate:recommended', 'html-validate:document'],
  rules: {
    // Whitespace at the end of a line never reaches the rendered page.
    'no-trailing-whitespace': 'off',
    // Single- and double-quoted attribute values parse identically.
    'attr-quotes': 'off',
    // `<br>` and `<br />` are the same element in HTML.
    'void-style': 'off',
    // `<!DOCTYPE html>` and `<!doctype html>` are the same doctype.
    'doctype-style': 'off',
    // `<input required>` and `<input required="">` mean the same thing.
    'attribute-boolean-style': 'off',
    // `<a download>` and `<a download="">` mean the same thing.
    'attribute-empty-style': 'off',
    // Typographic only, and it would make the phone differ from the brief's (NAP must be identical);
    // keeping a number on one line is CSS's job (`white-space: nowrap`).
    'tel-non-breaking': 'off',
    // Kept visible but not failing: a long title is valid HTML that search results merely truncate.
    'long-title': 'warn',
    // Not stylistic, but re-aimed: SRI protects third-party resources; the site's own files change
    // on every write, so hashes for them would only go stale.
    'require-sri': ['error', { target: 'crossorigin' }],
  },
};

// Resolved once and never changed: resolving the presets costs more than parsing a page.
let parserConfig: ResolvedConfig | undefined;

/** Parses an HTML document into html-validate's DOM (elements carry source locations). */
export function parseHtml(source: string): HtmlElement {
  parserConfig ??= new HtmlValidate(htmlValidateConfig).getConfigForSync('page.html');
  return new Parser(parserConfig).parseHtml(source);
}

/** The text a reader sees in an element: references decoded, whitespace collapsed. */
export function textOf(element: HtmlElement): string {
  return decodeEntities(element.textContent).replace(/\s+/g, ' ').trim();
}

/** An attribute's decoded static value; null when absent or dynamic. */
export function attributeOf(element: HtmlElement, name: string): string | null {
  const value = element.getAttribute(name)?.value;
  return typeof value === 'string' ? decodeEntities(value) : value === null ? '' : null;
}
