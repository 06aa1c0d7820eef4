import { describe, expect, it } from 'vitest';
import { decodeEntities, findAll, metaText, parseHtml, visibleText } from './html-text.ts';

describe('decodeEntities', () => {
  it.each([
    ['Zo&euml;&#39;s Caf&eacute; &Ouml;l &ccedil; &oslash;', "Zoë's Café Öl ç ø"],
    ['&bogus; &xgrave;', '&bogus; &xgrave;'],
    ['Fish &amp; chips', 'Fish & chips'],
    ['&lt;b&gt; &quot;x&quot; &#39;y&#39;', '<b> "x" \'y\''],
    ['&#x2011;&#8209;&nbsp;', '\u2011\u2011\u00a0'],
    ['&#0; &#x110000;', '&#0; &#x110000;'],
  ])('%s → %s', (input, output) => {
    expect(decodeEntities(input)).toBe(output);
  });
});

describe('visibleText', () => {
  it('drops scripts, styles, the head and hidden elements', () => {
    const root = parseHtml(`<html><head><title>T</title><style>p{color:red}</style></head>
<body><script>var phone = "0113 000";</script><p>Shown</p><p hidden>Hidden</p><template><p>Tpl</p></template></body></html>`);
    expect(visibleText(root)).toBe('Shown');
  });

  it('separates blocks by line breaks and keeps inline runs together', () => {
    const root = parseHtml(
      '<div><p>Call <a href="tel:1">0113 <b>496</b> 0123</a></p><p>Mon<br>Tue</p></div>',
    );
    expect(visibleText(root)).toBe('Call 0113 496 0123\nMon\nTue');
  });

  it('reads non-breaking spaces and hyphens as ordinary ones', () => {
    expect(visibleText(parseHtml('<p>075&#8209;231&nbsp;4870</p>'))).toBe('075-231 4870');
  });

  it('survives unclosed and stray tags', () => {
    const root = parseHtml('<ul><li>One<li>Two</ul></span><p>Three');
    expect(visibleText(root)).toContain('Three');
    expect(findAll(root, (el) => el.tag === 'li')).toHaveLength(2);
  });
});

describe('metaText', () => {
  it('reads the title, description and alternative texts', () => {
    const root = parseHtml(
      '<head><title>Home &amp; away</title><meta name="description" content="Best in town"></head><img alt="A photo" src="x.png">',
    );
    expect(metaText(root)).toBe('Home & away\nBest in town\nA photo');
  });
});
