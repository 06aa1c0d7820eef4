/**
 * A small, strict XML reader for checking the files this package writes (sitemap.xml). It accepts
 * well-formed documents with elements, attributes, text, comments, CDATA and processing
 * instructions, and rejects everything else, DTDs included — enough to prove a sitemap is a
 * well-formed `urlset`, without a parser dependency.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own decoded text, children's text excluded. */
  text: string;
}

export class XmlError extends Error {
  override name = 'XmlError';
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let at = source.startsWith('\uFEFF') ? 1 : 0;
  const fail = (message: string): never => {
    throw new XmlError(`${message} at offset ${at}`);
  };
  const expect = (literal: string) => {
    if (!source.startsWith(literal, at)) fail(`expected "${literal}"`);
    at += literal.length;
  };
  const skipUntil = (terminator: string) => {
    const end = source.indexOf(terminator, at);
    if (end === -1) fail(`unterminated construct, "${terminator}" missing`);
    const body = source.slice(at, end);
    at = end + terminator.length;
    return body;
  };
  const skipSpace = () => {
    while (at < source.length && /\s/.test(source[at] ?? '')) at++;
  };
  const readName = () => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };
  const decode = (raw: string) => {
    if (raw.includes('<')) fail('"<" must be escaped');
    return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) return fail(`bare "&" (write &amp;)`);
      if (ref in PREDEFINED) return PREDEFINED[ref] ?? '';
      const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref)?.[1];
      if (numeric === undefined) return fail(`unknown entity &${ref};`);
      return String.fromCodePoint(
        numeric.startsWith('x') ? Number.parseInt(numeric.slice(1), 16) : Number(numeric),
      );
    });
  };
  // Comments, processing instructions and whitespace may surround the root element.
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', at)) skipUntil('-->');
      else if (source.startsWith('<?', at)) skipUntil('?>');
      else return;
    }
  };

  const readElement = (): XmlElement => {
    expect('<');
    const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return element;
      }
      if (source.startsWith('>', at)) {
        at += 1;
        break;
      }
      const name = readName();
      skipSpace();
      expect('=');
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") return fail('attribute values must be quoted');
      at += 1;
      if (name in element.attributes) fail(`duplicate attribute ${name}`);
      element.attributes[name] = decode(skipUntil(quote));
    }
    for (;;) {
      const next = source.indexOf('<', at);
      if (next === -1) return fail(`<${element.name}> is never closed`);
      element.text += decode(source.slice(at, next));
      at = next;
      if (source.startsWith('</', at)) {
        at += 2;
        const name = readName();
        if (name !== element.name) fail(`</${name}> closes <${element.name}>`);
        skipSpace();
        expect('>');
        return element;
      }
      if (source.startsWith('<!--', at)) skipUntil('-->');
      else if (source.startsWith('<![CDATA[', at)) {
        at += 9;
        element.text += skipUntil(']]>');
      } else if (source.startsWith('<?', at)) skipUntil('?>');
      else if (source.startsWith('<!', at)) fail('declarations are not supported');
      else element.children.push(readElement());
    }
  };

  skipMisc();
  if (source.startsWith('<!', at)) fail('DTDs are not supported');
  const root = readElement();
  skipMisc();
  if (at < source.length) fail('content after the root element');
  return root;
}
