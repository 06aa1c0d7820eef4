/**
 * A small, tolerant HTML reader for auditing pages: a tree of elements with attributes and decoded
 * text, and the text a visitor sees. Not a full HTML5 parser — it needs only to find text, links,
 * tables and address blocks in pages that are already validated.
 */

export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
}
export type HtmlNode = HtmlElement | string;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
/** Elements a browser shows on their own line(s): their edges separate words in visible text. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'caption',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'option',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
/** Never rendered as text. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'head', 'svg']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  copy: '©',
  reg: '®',
  trade: '™',
  times: '×',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  star: '☆',
  starf: '★',
  rarr: '→',
  larr: '←',
  szlig: 'ß',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
};

const COMBINING: Record<string, string> = {
  grave: '\u0300',
  acute: '\u0301',
  circ: '\u0302',
  tilde: '\u0303',
  uml: '\u0308',
  ring: '\u030a',
  cedil: '\u0327',
};

/** Latin-1 letters by name (`&eacute;`, `&Ouml;`, `&ccedil;`), as owners' names are often written. */
function accentedLetter(ref: string): string | undefined {
  const match = /^([a-zA-Z])(grave|acute|circ|tilde|uml|ring|cedil)$/.exec(ref);
  if (!match?.[1] || !match[2]) return undefined;
  const composed = `${match[1]}${COMBINING[match[2]]}`.normalize('NFC');
  return composed.length === 1 ? composed : undefined;
}

/** Text with character references (`&amp;`, `&#39;`, `&#x2011;`, `&eacute;`) replaced by their characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (match, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? accentedLetter(ref) ?? match;
  });
}

const TAG =
  /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/gi;
const ATTR = /([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(ATTR)) {
    const name = match[1]?.toLowerCase();
    if (name && !(name in attrs)) attrs[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attrs;
}

/** The document as a tree under a synthetic root; unclosed elements close at their parent's end. */
export function parseHtml(source: string): HtmlElement {
  const root: HtmlElement = { tag: '#root', attrs: {}, children: [] };
  const stack: HtmlElement[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  let index = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(source); match; match = TAG.exec(source)) {
    if (match.index > index) top().children.push(decodeEntities(source.slice(index, match.index)));
    index = TAG.lastIndex;
    const [whole, closing, opening, attrSource] = match;
    if (whole.startsWith('<!')) continue;
    if (closing) {
      const name = closing.toLowerCase();
      const at = stack.map((el) => el.tag).lastIndexOf(name);
      if (at > 0) stack.length = at;
      continue;
    }
    if (!opening) continue;
    const element: HtmlElement = {
      tag: opening.toLowerCase(),
      attrs: parseAttrs(attrSource ?? ''),
      children: [],
    };
    top().children.push(element);
    if (RAW_TEXT.has(element.tag)) {
      const end = source.toLowerCase().indexOf(`</${element.tag}`, index);
      const stop = end === -1 ? source.length : end;
      const text = source.slice(index, stop);
      element.children.push(
        element.tag === 'script' || element.tag === 'style' ? text : decodeEntities(text),
      );
      const close = source.indexOf('>', stop);
      index = close === -1 ? source.length : close + 1;
      TAG.lastIndex = index;
      continue;
    }
    if (!VOID.has(element.tag) && !whole.endsWith('/>')) stack.push(element);
  }
  if (index < source.length) top().children.push(decodeEntities(source.slice(index)));
  return root;
}

/** Every element in document order that satisfies `test`. */
export function findAll(node: HtmlElement, test: (el: HtmlElement) => boolean): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (el: HtmlElement) => {
    if (test(el)) found.push(el);
    for (const child of el.children) if (typeof child !== 'string') visit(child);
  };
  visit(node);
  return found;
}

/**
 * The text a visitor sees: hidden elements skipped, block edges as line breaks, runs of spaces
 * collapsed. Non-breaking spaces and hyphens become ordinary ones: a reader cannot tell them apart,
 * and pages use them only to keep phone numbers on one line.
 */
export function visibleText(node: HtmlElement): string {
  const parts: string[] = [];
  const visit = (el: HtmlElement) => {
    if (HIDDEN.has(el.tag) || el.tag === 'title' || 'hidden' in el.attrs) return;
    const block = BLOCK.has(el.tag);
    if (block) parts.push('\n');
    if (el.tag === 'img' && el.attrs.alt) parts.push(el.attrs.alt);
    for (const child of el.children) {
      if (typeof child === 'string') parts.push(child);
      else visit(child);
    }
    if (block) parts.push('\n');
  };
  visit(node);
  return normalizeText(parts.join(''));
}

/** Collapses whitespace within lines, keeps single line breaks, maps non-breaking characters. */
export function normalizeText(text: string): string {
  return text
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\u2011/g, '-')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

/** Text an audit should also read although it is not in the page body: title, meta description, alt text. */
export function metaText(root: HtmlElement): string {
  const parts: string[] = [];
  for (const el of findAll(root, () => true)) {
    if (el.tag === 'title')
      parts.push(el.children.filter((c): c is string => typeof c === 'string').join(''));
    if (el.tag === 'meta' && /^(description|og:|twitter:)/i.test(el.attrs.name ?? el.attrs.property ?? '')) {
      parts.push(el.attrs.content ?? '');
    }
    for (const attr of ['title', 'aria-label', 'alt']) {
      const value = el.attrs[attr];
      if (value) parts.push(value);
    }
  }
  return normalizeText(parts.join('\n'));
}
