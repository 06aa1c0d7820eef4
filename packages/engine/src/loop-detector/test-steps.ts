import type { LoopFinding, LoopKind, Step } from './types.ts';

/*
 * Builders for the loop-detector tests: steps read like a session transcript, and seqs have gaps (other
 * events sit between step results in the real log) so no test can rely on contiguous numbering.
 */

/** A step without its seq; `steps()` numbers them. */
export type StepInput = Omit<Step, 'seq' | 'outcome' | 'args'> & Partial<Pick<Step, 'outcome' | 'args'>>;

/** The seq the builders give to the step at `index`. */
export function seqAt(index: number): number {
  return 100 + index * 3;
}

/** Numbered steps, each costing $0.01 unless stated otherwise. */
export function steps(...inputs: StepInput[]): Step[] {
  return inputs.map((input, index) => ({
    args: {},
    outcome: 'ok',
    costUsd: 0.01,
    ...input,
    seq: seqAt(index),
  }));
}

/** A successful file write. */
export function write(path: string, content: string, extra: Partial<StepInput> = {}): StepInput {
  return {
    tool: 'write_file',
    args: { path, content },
    target: path,
    content,
    isEdit: true,
    result: { bytes: content.length },
    ...extra,
  };
}

/** A file read returning `content`. */
export function read(path: string, content = `contents of ${path}`): StepInput {
  return { tool: 'read_file', args: { path }, target: path, result: { content } };
}

/** A browser check that passed or failed. */
export function check(name: string, passed: boolean, extra: Partial<StepInput> = {}): StepInput {
  return {
    tool: 'browser_check',
    args: { name },
    check: { name, passed },
    result: passed ? { passed } : { passed, reason: `${name} not satisfied` },
    ...extra,
  };
}

/** A failed call of `tool`. */
export function failure(tool: string, error: string, args: unknown = {}): StepInput {
  return { tool, args, outcome: 'error', error };
}

/** A successful call of `tool` with the given args and result. */
export function call(tool: string, args: unknown = {}, result: unknown = { ok: true }): StepInput {
  return { tool, args, result };
}

/** What a table case expects: no finding, or a finding of this count over the steps at these indices. */
export type Expected = null | { count: number; indices: number[] };

/** The parts of a finding a table case checks. */
export function summarize(finding: LoopFinding | null) {
  return finding && { kind: finding.kind, count: finding.count, seqs: finding.seqs };
}

/** The summary a table case expects, in the shape `summarize` returns. */
export function expectedFinding(kind: LoopKind, expected: Expected) {
  return expected && { kind, count: expected.count, seqs: expected.indices.map(seqAt) };
}

const hero = '<section class="hero"><h1>Maria’s Pizzeria</h1><p>Wood-fired pizza since 1987.</p></section>';
const menu = '<section id="menu"><h2>Menu</h2><ul><li>Margherita 9€</li><li>Diavola 11€</li></ul></section>';
const contact = '<footer><a href="/contact.html">Contact us</a> · 0171 555 0199</footer>';

/** A healthy 30-step session: questions, approval, three features built and verified, SEO files. */
export function healthySession(): Step[] {
  return steps(
    call('ask_user', { question: 'What is the name of your business?' }, { answer: 'Maria’s Pizzeria' }),
    call('ask_user', { question: 'What do you sell?', options: ['Food', 'Services'] }, { answer: 'Food' }),
    call('ask_user', { question: 'When are you open?' }, { answer: 'Tue–Sun 12–22' }),
    call('request_approval', { subject: 'Brief', details: 'Pizzeria, food, Tue–Sun' }, { approved: true }),
    call('get_next_item', {}, { id: 1, title: 'Home page hero' }),
    write('index.html', `<main>${hero}</main>`),
    write('styles.css', '.hero { padding: 4rem; }'),
    check('hero visible', true),
    call('mark_passing', { itemId: 1, evidence: 'hero visible' }),
    call('get_next_item', {}, { id: 2, title: 'Menu section' }),
    read('index.html', `<main>${hero}</main>`),
    write('index.html', `<main>${hero}${menu}</main>`),
    check('menu visible', false),
    write('styles.css', '.hero { padding: 4rem; } #menu { display: block; }'),
    check('menu visible', true),
    call('mark_passing', { itemId: 2, evidence: 'menu visible' }),
    call('get_next_item', {}, { id: 3, title: 'Contact page' }),
    write('contact.html', '<main><form action="/send"><input name="email"></form></main>'),
    write('index.html', `<main>${hero}${menu}${contact}</main>`),
    failure('validate_html', 'contact.html:1:42 unclosed <form> (took 12ms)', { path: 'contact.html' }),
    write('contact.html', '<main><form action="/send"><input name="email"></form></main>\n'),
    check('contact form submits', true),
    call('mark_passing', { itemId: 3, evidence: 'contact form submits' }),
    call('get_next_item', {}, { id: 4, title: 'SEO basics' }),
    write('sitemap.xml', '<urlset><url><loc>/</loc></url><url><loc>/contact.html</loc></url></urlset>'),
    write('robots.txt', 'User-agent: *\nAllow: /'),
    check('seo tags present', true),
    call('mark_passing', { itemId: 4, evidence: 'seo tags present' }),
    call('get_next_item', {}, { item: null }),
    call(
      'list_files',
      {},
      { files: ['index.html', 'styles.css', 'contact.html', 'sitemap.xml', 'robots.txt'] },
    ),
  );
}
