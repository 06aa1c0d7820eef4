import { describe, expect, it } from 'vitest';
import { rewriteCss, rewriteHtml, rewriteUrl } from './preview.rewrite.ts';

const id = '3f1c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f';
const at = { prefix: `/preview/${id}/~tok`, siteRoot: `/preview/${id}` };
const p = at.prefix;

describe('rewriteUrl', () => {
  it.each([
    ['/about/', `${p}/about/`],
    ['/', `${p}/`],
    ['/styles.css?v=2#x', `${p}/styles.css?v=2#x`],
    ['  /menu/', `  ${p}/menu/`],
    [`/preview/${id}/about/`, `${p}/about/`],
    [`/preview/${id}`, p],
    [`http://localhost:8888/preview/${id}/menu/`, `${p}/menu/`],
    [`https://sites.example.org/preview/${id}/?q=1`, `${p}/?q=1`],
    [`${p}/about/`, `${p}/about/`],
  ])('points %s into the preview', (url, expected) => {
    expect(rewriteUrl(url, at)).toBe(expected);
  });

  it.each([
    'about/',
    '../styles.css',
    '#main',
    '?page=2',
    '//cdn.example.org/x.js',
    '/\\evil.example.org/',
    'https://example.org/about/',
    `https://example.org/preview/${id}-other/`,
    'tel:+441134960000',
    'mailto:hello@example.org',
    'data:image/png;base64,AAAA',
    'javascript:void(0)',
    '',
  ])('leaves %s as written', (url) => {
    expect(rewriteUrl(url, at)).toBe(url);
  });
});

describe('rewriteHtml', () => {
  it('rewrites root-relative URLs of every kind of tag and attribute', () => {
    const html = [
      '<!doctype html><html><head>',
      '<link rel="stylesheet" href="/styles.css">',
      '<link rel="icon" href=/favicon.svg>',
      "<script src='/app.js' defer></script>",
      '<meta http-equiv="refresh" content="5; url=/menu/">',
      '<style>body{background:url(/bg.png)} @import "/print.css";</style>',
      '</head><body>',
      '<a title="a > b" href="/about/" class="nav">About</a>',
      '<img src="/img/a.png" srcset="/img/a.png 1x, /img/a@2x.png 2x" alt="">',
      '<form action="/contact/" method="post"><button formaction="/contact/send">Send</button></form>',
      '<div style="background-image: url(\'/hero.jpg\')"></div>',
      '<svg><use xlink:href="/icons.svg#phone"></use><use href="/icons.svg#mail"/></svg>',
      '<a href="https://example.org/">Out</a> <a href="tel:+44">Call</a> <a href="#main">Skip</a>',
      '</body></html>',
    ].join('\n');
    const out = rewriteHtml(html, at);
    expect(out).toContain(`<link rel="stylesheet" href="${p}/styles.css">`);
    expect(out).toContain(`<link rel="icon" href="${p}/favicon.svg">`);
    expect(out).toContain(`<script src='${p}/app.js' defer>`);
    expect(out).toContain(`content="5; url=${p}/menu/"`);
    expect(out).toContain(`background:url(${p}/bg.png)`);
    expect(out).toContain(`@import "${p}/print.css"`);
    expect(out).toContain(`<a title="a > b" href="${p}/about/" class="nav">About</a>`);
    expect(out).toContain(`srcset="${p}/img/a.png 1x, ${p}/img/a@2x.png 2x"`);
    expect(out).toContain(`action="${p}/contact/"`);
    expect(out).toContain(`formaction="${p}/contact/send"`);
    expect(out).toContain(`url('${p}/hero.jpg')`);
    expect(out).toContain(`xlink:href="${p}/icons.svg#phone"`);
    expect(out).toContain(`<use href="${p}/icons.svg#mail" />`);
    expect(out).toContain(
      '<a href="https://example.org/">Out</a> <a href="tel:+44">Call</a> <a href="#main">Skip</a>',
    );
  });

  it('leaves text, other attributes and unrelated content alone', () => {
    const html = '<p data-path="/about/">Go to /about/ or href="/x"</p><meta content="/og.png">';
    expect(rewriteHtml(html, at)).toBe(html);
  });

  it('is idempotent', () => {
    const once = rewriteHtml('<a href="/about/">About</a>', at);
    expect(rewriteHtml(once, at)).toBe(once);
  });

  it('stays fast on malformed markup', () => {
    const started = performance.now();
    rewriteHtml(`<a ${'b=c '.repeat(20_000)}`, at);
    rewriteHtml(`<a${' '.repeat(50_000)}x`, at);
    rewriteHtml('<'.repeat(50_000), at);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('rewriteCss', () => {
  it('rewrites url() in every quoting and @import', () => {
    const css = `a{background:url( "/a.png" )} b{background:url('/b.png')} @import '/c.css'; d{src:url(font.woff2)}`;
    expect(rewriteCss(css, at)).toBe(
      `a{background:url("${p}/a.png")} b{background:url('${p}/b.png')} @import '${p}/c.css'; d{src:url(font.woff2)}`,
    );
  });
});
