import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CssNode,
  type Declaration,
  lexer,
  parse as parseCss,
  tokenize,
  tokenTypes,
  walk,
} from 'css-tree';
import { type HtmlElement, HtmlValidate, type Message } from 'html-validate';
import { attributeOf, htmlValidateConfig, parseHtml, textOf } from './html.ts';
import { resolveReference, targetFile } from './references.ts';
import { listSiteFiles } from './site-files.ts';

export type ProblemSeverity = 'error' | 'warning';

/** One finding in one file; `line`/`column` are 1-based. */
export interface SiteProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  severity: ProblemSeverity;
}

export interface SiteValidation {
  /** True when no problem has severity `error`. */
  ok: boolean;
  problems: SiteProblem[];
  /** Every HTML page, as a site path (`index.html`, `menu/index.html`), sorted. */
  pages: string[];
}

/** Rule ids of the checks html-validate does not make; everything else is an html-validate rule id. */
export const siteRules = {
  lang: 'sitewright/html-lang',
  title: 'sitewright/title',
  viewport: 'sitewright/viewport',
  oneH1: 'sitewright/one-h1',
  internalLink: 'sitewright/internal-link',
  cssSyntax: 'css/syntax',
  cssDeclaration: 'css/declaration',
} as const;

export type ProblemCategory = 'html' | 'css' | 'page' | 'links';

/** Which part of the quality bar a problem belongs to (the `site_valid` gate reports them apart). */
export function problemCategory(problem: Pick<SiteProblem, 'rule'>): ProblemCategory {
  if (problem.rule === siteRules.internalLink) return 'links';
  if (problem.rule.startsWith('css/')) return 'css';
  if (problem.rule.startsWith('sitewright/')) return 'page';
  return 'html';
}

interface Reference {
  file: string;
  line: number;
  column: number;
  value: string;
}

/** Elements whose attribute loads or links another file of the site. */
const REFERENCE_ATTRIBUTES: ReadonlyArray<[selector: string, attribute: string]> = [
  ['a[href]', 'href'],
  ['area[href]', 'href'],
  ['link[href]', 'href'],
  ['img[src]', 'src'],
  ['script[src]', 'src'],
  ['source[src]', 'src'],
  ['video[src]', 'src'],
  ['audio[src]', 'src'],
  ['iframe[src]', 'src'],
];

/**
 * Validates a site directory: every `.html` page through html-validate plus the page basics it does
 * not check (lang, title, viewport, exactly one h1), every `.css` file through css-tree, and every
 * internal reference (links, assets, fragments, CSS `url()`) against the files that exist.
 */
export async function validateSite(siteDir: string): Promise<SiteValidation> {
  const files = await listSiteFiles(siteDir);
  const fileSet = new Set(files.all);
  const problems: SiteProblem[] = [];
  const references: Reference[] = [];
  const anchorsByPage = new Map<string, Set<string>>();
  const validator = new HtmlValidate(htmlValidateConfig);

  for (const page of files.html) {
    const source = await readFile(join(siteDir, page), 'utf8');
    const report = await validator.validateString(source, page);
    for (const result of report.results) {
      for (const message of result.messages) problems.push(fromHtmlValidate(page, message));
    }
    const root = parseHtml(source);
    problems.push(...checkPageBasics(page, root));
    anchorsByPage.set(page, anchorsOf(root));
    for (const [selector, attribute] of REFERENCE_ATTRIBUTES) {
      for (const element of root.querySelectorAll(selector)) {
        const value = attributeOf(element, attribute);
        if (value === null) continue;
        references.push({ file: page, line: element.location.line, column: element.location.column, value });
      }
    }
  }

  for (const sheet of files.css) {
    const source = await readFile(join(siteDir, sheet), 'utf8');
    const checked = checkStylesheet(sheet, source);
    problems.push(...checked.problems);
    references.push(...checked.references);
  }

  for (const reference of references) {
    const problem = checkReference(reference, fileSet, anchorsByPage);
    if (problem) problems.push(problem);
  }

  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { ok: problems.every((p) => p.severity !== 'error'), problems, pages: files.html };
}

function fromHtmlValidate(file: string, message: Message): SiteProblem {
  return {
    file,
    line: message.line,
    column: message.column,
    rule: message.ruleId,
    message: message.message,
    severity: message.severity >= 2 ? 'error' : 'warning',
  };
}

function checkPageBasics(file: string, root: HtmlElement): SiteProblem[] {
  const problems: SiteProblem[] = [];
  const report = (rule: string, message: string, element?: HtmlElement | null) =>
    problems.push({
      file,
      line: element?.location.line ?? 1,
      column: element?.location.column ?? 1,
      rule,
      message,
      severity: 'error',
    });

  const html = root.querySelector('html');
  if (!attributeOf(html ?? root, 'lang')?.trim()) {
    report(siteRules.lang, '<html> needs a lang attribute naming the language of the page', html);
  }
  const title = root.querySelector('title');
  if (!title || textOf(title) === '') report(siteRules.title, 'the page needs a non-empty <title>', title);
  const viewport = root.querySelector('meta[name="viewport"]');
  if (!viewport || !/width\s*=\s*device-width/i.test(attributeOf(viewport, 'content') ?? '')) {
    report(
      siteRules.viewport,
      'the page needs <meta name="viewport" content="width=device-width, initial-scale=1">',
      viewport,
    );
  }
  const headings = root.querySelectorAll('h1');
  if (headings.length !== 1) {
    report(
      siteRules.oneH1,
      headings.length === 0
        ? 'the page has no <h1>; give it exactly one'
        : `the page has ${headings.length} <h1> elements; keep exactly one`,
      headings[1],
    );
  }
  return problems;
}

/** The fragment targets of a page: `id`s and legacy `<a name>`. */
function anchorsOf(root: HtmlElement): Set<string> {
  const anchors = new Set<string>();
  for (const element of root.querySelectorAll('[id], a[name]')) {
    for (const name of ['id', 'name']) {
      const anchor = attributeOf(element, name);
      if (anchor) anchors.add(anchor);
    }
  }
  return anchors;
}

function checkStylesheet(file: string, source: string): { problems: SiteProblem[]; references: Reference[] } {
  const problems: SiteProblem[] = [];
  const references: Reference[] = [];
  const at = (offset: number) => lineColumn(source, offset);
  const syntax = (offset: number, message: string) =>
    problems.push({ file, ...at(offset), rule: siteRules.cssSyntax, message, severity: 'error' });

  // css-tree recovers silently from unclosed blocks, comments and strings — exactly what a truncated
  // file looks like — so the token stream is checked for them first.
  const openBraces: number[] = [];
  tokenize(source, (type, start, end) => {
    if (type === tokenTypes.LeftCurlyBracket) openBraces.push(start);
    else if (type === tokenTypes.RightCurlyBracket) {
      if (openBraces.pop() === undefined) syntax(start, 'unexpected "}" without a matching "{"');
    } else if (type === tokenTypes.Comment && (end - start < 4 || !source.slice(start, end).endsWith('*/'))) {
      syntax(start, 'unterminated comment');
    } else if (type === tokenTypes.BadString) syntax(start, 'unterminated string');
    else if (type === tokenTypes.BadUrl) syntax(start, 'malformed url()');
  });
  for (const start of openBraces) syntax(start, '"{" is never closed');

  const ast = parseCss(source, {
    positions: true,
    filename: file,
    onParseError: (error) =>
      problems.push({
        file,
        line: error.line,
        column: error.column,
        rule: siteRules.cssSyntax,
        message: error.message,
        severity: 'error',
      }),
  });
  walk(ast, (node: CssNode) => {
    if (node.type === 'Declaration') {
      const mismatch = declarationMismatch(node);
      if (mismatch) {
        problems.push({
          file,
          line: node.loc?.start.line ?? 1,
          column: node.loc?.start.column ?? 1,
          rule: siteRules.cssDeclaration,
          message: `${node.property}: ${mismatch}`,
          severity: 'warning',
        });
      }
    } else if (node.type === 'Url') {
      references.push({
        file,
        line: node.loc?.start.line ?? 1,
        column: node.loc?.start.column ?? 1,
        value: node.value,
      });
    }
  });
  return { problems, references };
}

/**
 * css-tree's lexer knows the standard properties and value grammars; a mismatch is a warning only,
 * because the lexer lags behind what browsers accept; values using `var()` cannot be matched at all.
 */
function declarationMismatch(node: Declaration): string | null {
  // Custom properties (`--x`) have no grammar; vendor-prefixed ones (`-webkit-x`) are not in the lexer.
  if (node.property.startsWith('-')) return null;
  const match = lexer.matchDeclaration(node);
  if (!match.error) return null;
  const message = match.error.message.split('\n')[0] ?? 'invalid value';
  if (/var\(\)|custom propert/i.test(message)) return null;
  return message === 'Mismatch' ? 'the value does not match the property’s syntax' : message;
}

function checkReference(
  reference: Reference,
  files: ReadonlySet<string>,
  anchorsByPage: ReadonlyMap<string, Set<string>>,
): SiteProblem | null {
  const problem = (message: string): SiteProblem => ({
    file: reference.file,
    line: reference.line,
    column: reference.column,
    rule: siteRules.internalLink,
    message,
    severity: 'error',
  });
  const resolved = resolveReference(reference.file, reference.value);
  if (resolved === null) return null;
  if (resolved.kind === 'outside') return problem(`"${reference.value}" points outside the site`);
  const target = targetFile(resolved, files);
  if (target === null) {
    const expected =
      resolved.directory || resolved.path === '' ? `${resolved.path}/index.html` : resolved.path;
    return problem(`"${reference.value}" points at ${expected.replace(/^\//, '')}, which does not exist`);
  }
  const anchors = anchorsByPage.get(target);
  // `#` and `#top` scroll to the top of any page (HTML spec), so they need no target.
  if (anchors && resolved.fragment !== '' && resolved.fragment !== 'top' && !anchors.has(resolved.fragment)) {
    return problem(`"${reference.value}": ${target} has no element with id "${resolved.fragment}"`);
  }
  return null;
}

function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
