import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxError, type SandboxErrorCode } from './errors.ts';
import { createSiteSandbox, type SiteSandbox } from './sandbox.ts';

const SECRET = 'SECRET-OUTSIDE-THE-ROOT';
const CANARY = 'CANARY-NEXT-TO-THE-ROOT';
/** A name nothing on this machine has: writes through the /etc link must never create it. */
const ETC_PROBE = 'sw-sandbox-probe.txt';

let tmp: string;
let root: string;
let sandbox: SiteSandbox;

/**
 * A site with hostile neighbours: a secret and a canary outside the root, and links inside it that
 * point out (absolute, relative, chained, dangling), into `.git`, in loops, and one that stays inside.
 */
function buildFixture(): void {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'sw-sandbox-')));
  root = join(tmp, 'site');
  const outside = join(tmp, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(tmp, 'canary.txt'), CANARY);
  for (const dir of ['about', '.git', 'sub/.git', '.well-known'])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<h1>Home</h1>');
  writeFileSync(join(root, 'about/index.html'), '<h1>About</h1>');
  writeFileSync(join(root, '.git/config'), '[core]');
  writeFileSync(join(root, '.git/notes.txt'), 'git internals');
  writeFileSync(join(root, 'sub/.git/HEAD'), 'ref: refs/heads/main');
  writeFileSync(join(root, '.well-known/security.txt'), 'Contact: mailto:owner@example.com');
  const links: Array<[string, string]> = [
    ['etc-link', '/etc'],
    ['out-dir', outside],
    ['secret.txt', join(outside, 'secret.txt')],
    ['relative-out.txt', '../outside/secret.txt'],
    ['chain1.txt', 'chain2.txt'],
    ['chain2.txt', '../canary.txt'],
    ['dangling.txt', join(outside, 'missing.txt')],
    ['dangling-dir', join(outside, 'missing-dir')],
    ['inner-link.html', 'index.html'],
    ['git-link.txt', '.git/config'],
    ['git-dir-link', '.git'],
    ['loop1.txt', 'loop2.txt'],
    ['loop2.txt', 'loop1.txt'],
    ['loop-dir', 'loop-dir'],
    ['self-dir', '.'],
  ];
  for (const [name, target] of links) symlinkSync(target, join(root, name));
  execFileSync('mkfifo', [join(root, 'pipe.txt')]);
  sandbox = createSiteSandbox(root);
}

/** Every entry under `dir` (links not followed) with its type and, for files, content and mtime. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const visit = (current: string) => {
    for (const name of readdirSync(current)) {
      const abs = join(current, name);
      const rel = relative(tmp, abs);
      const stat = lstatSync(abs);
      if (stat.isSymbolicLink()) entries.set(rel, `link→${readlinkSync(abs)}`);
      else if (stat.isDirectory()) {
        entries.set(rel, 'dir');
        visit(abs);
      } else if (stat.isFile()) {
        const hash = createHash('sha256').update(readFileSync(abs)).digest('hex');
        entries.set(rel, `file:${hash}:${stat.mtimeMs}`);
      } else entries.set(rel, 'other');
    }
  };
  visit(dir);
  return entries;
}

function outsideIsUntouched(): void {
  expect(readFileSync(join(tmp, 'canary.txt'), 'utf8')).toBe(CANARY);
  expect(readFileSync(join(tmp, 'outside/secret.txt'), 'utf8')).toBe(SECRET);
  expect(readdirSync(tmp).sort()).toEqual(['canary.txt', 'outside', 'site']);
  expect(readdirSync(join(tmp, 'outside'))).toEqual(['secret.txt']);
  expect(existsSync(join('/etc', ETC_PROBE))).toBe(false);
}

function refusal(action: () => unknown): SandboxError {
  try {
    action();
  } catch (error) {
    if (error instanceof SandboxError) return error;
    throw error;
  }
  throw new Error('expected the sandbox to refuse');
}

beforeEach(buildFixture);
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
  // Only a broken sandbox creates it (and its test has failed by then); don't leave it behind.
  rmSync(join('/etc', ETC_PROBE), { force: true });
});

type Op = 'read' | 'write' | 'delete' | 'list' | 'resolve';

function perform(op: Op, path: string): unknown {
  switch (op) {
    case 'read':
      return sandbox.readFile(path);
    case 'write':
      return sandbox.writeFile(path, 'pwned');
    case 'delete':
      return sandbox.deleteFile(path);
    case 'list':
      return sandbox.listFiles(path);
    case 'resolve':
      return sandbox.resolve(path);
  }
}

const deep10k = `${'a/'.repeat(10_000)}x.txt`;

/** [operation, path, expected code]: every one must be refused with nothing changed anywhere. */
const hostile: Array<[Op, string, SandboxErrorCode]> = [
  // Parent traversal, however spelled.
  ['write', '../x.txt', 'parent_traversal'],
  ['read', '../canary.txt', 'parent_traversal'],
  ['write', 'a/../../x.txt', 'parent_traversal'],
  ['write', 'a/..\\..\\x.txt', 'parent_traversal'],
  ['read', '..\\canary.txt', 'parent_traversal'],
  ['write', './../x.txt', 'parent_traversal'],
  ['write', 'a//..//..//x.txt', 'parent_traversal'],
  ['write', 'about/../index.html', 'parent_traversal'],
  ['list', '..', 'parent_traversal'],
  ['delete', '../canary.txt', 'parent_traversal'],
  ['delete', 'out-dir/../../canary.txt', 'parent_traversal'],
  ['resolve', 'a/../..', 'parent_traversal'],
  // URL-encoded dots are neither decoded nor kept.
  ['write', '%2e%2e/x.txt', 'invalid_path'],
  ['read', '%2e%2e%2fcanary.txt', 'invalid_path'],
  ['write', '..%2fx.txt', 'invalid_path'],
  // Absolute paths and URLs.
  ['read', '/etc/passwd', 'absolute_path'],
  ['write', '/tmp/x.txt', 'absolute_path'],
  ['write', 'C:\\Windows\\win.ini', 'absolute_path'],
  ['write', 'c:/x.txt', 'absolute_path'],
  ['write', 'C:x.txt', 'absolute_path'],
  ['write', '\\\\server\\share\\x.txt', 'absolute_path'],
  ['write', '//server/share/x.txt', 'absolute_path'],
  ['read', 'file:///etc/passwd', 'absolute_path'],
  ['write', '~/x.txt', 'absolute_path'],
  ['delete', '/etc/passwd', 'absolute_path'],
  ['list', '/', 'absolute_path'],
  // `.git`, in every spelling and every operation.
  ['read', '.git/config', 'git_dir'],
  ['write', '.git/config', 'git_dir'],
  ['delete', '.git/config', 'git_dir'],
  ['list', '.git', 'git_dir'],
  ['write', 'sub/.git/HEAD', 'git_dir'],
  ['read', 'sub/.git/HEAD', 'git_dir'],
  ['write', '.GIT/config', 'git_dir'],
  ['read', '.Git/notes.txt', 'git_dir'],
  ['write', '.git./hooks/pre-commit.js', 'git_dir'],
  ['write', 'git~1/config.txt', 'git_dir'],
  ['write', '.git', 'git_dir'],
  ['resolve', '.git/notes.txt', 'git_dir'],
  // Disallowed types and hidden files.
  ['write', '.htaccess', 'file_type'],
  ['write', '.env', 'file_type'],
  ['write', 'run.sh', 'file_type'],
  ['write', 'index.php', 'file_type'],
  ['write', 'setup.exe', 'file_type'],
  ['write', 'about/.hidden.html', 'file_type'],
  ['write', 'sub/.well-known/x.txt', 'file_type'],
  ['write', 'about/CNAME', 'file_type'],
  ['read', 'pipe.txt', 'file_type'],
  // Malformed paths.
  ['write', '', 'invalid_path'],
  ['write', '   ', 'invalid_path'],
  ['write', '.', 'invalid_path'],
  ['write', 'a\u0000.txt', 'invalid_path'],
  ['write', 'a\n.txt', 'invalid_path'],
  ['write', 'evil\u202Etxt.html', 'invalid_path'],
  ['write', '.\u200Bgit/config.txt', 'invalid_path'],
  ['write', 'index.html::$DATA', 'invalid_path'],
  ['write', 'index.html.', 'invalid_path'],
  ['write', 'index.html ', 'invalid_path'],
  ['write', `${'a'.repeat(5_000)}.txt`, 'invalid_path'],
  ['write', `${'é'.repeat(140)}.txt`, 'invalid_path'],
  ['write', `${'a/'.repeat(40)}x.txt`, 'invalid_path'],
  ['write', deep10k, 'invalid_path'],
  ['read', deep10k, 'invalid_path'],
  ['list', deep10k, 'invalid_path'],
  ['write', 'index.html/x.html', 'invalid_path'],
  // Links out of the root: absolute, relative, chained, dangling, through folders; and into `.git`.
  ['read', 'secret.txt', 'symlink_escape'],
  ['write', 'secret.txt', 'symlink_escape'],
  ['read', 'relative-out.txt', 'symlink_escape'],
  ['write', 'relative-out.txt', 'symlink_escape'],
  ['read', 'chain1.txt', 'symlink_escape'],
  ['write', 'chain1.txt', 'symlink_escape'],
  ['read', 'out-dir/secret.txt', 'symlink_escape'],
  ['read', 'out-dir/missing.txt', 'symlink_escape'],
  ['write', 'out-dir/new.txt', 'symlink_escape'],
  ['write', 'out-dir/deeper/new.txt', 'symlink_escape'],
  ['delete', 'out-dir/secret.txt', 'symlink_escape'],
  ['list', 'out-dir', 'symlink_escape'],
  ['resolve', 'out-dir/secret.txt', 'symlink_escape'],
  ['write', 'dangling.txt', 'symlink_escape'],
  ['write', 'dangling-dir/x.txt', 'symlink_escape'],
  ['delete', 'dangling-dir/x.txt', 'symlink_escape'],
  ['list', 'dangling-dir', 'symlink_escape'],
  ['write', `etc-link/${ETC_PROBE}`, 'symlink_escape'],
  ['read', `etc-link/${ETC_PROBE}`, 'symlink_escape'],
  ['resolve', 'etc-link/passwd', 'symlink_escape'],
  ['list', 'etc-link', 'symlink_escape'],
  ['read', 'git-link.txt', 'symlink_escape'],
  ['read', 'git-dir-link/notes.txt', 'symlink_escape'],
  ['write', 'git-dir-link/notes.txt', 'symlink_escape'],
  ['list', 'git-dir-link', 'symlink_escape'],
  ['write', 'inner-link.html', 'symlink_escape'],
  ['write', 'loop1.txt', 'symlink_escape'],
  ['write', 'loop-dir/x.txt', 'symlink_escape'],
  ['list', 'loop-dir', 'symlink_escape'],
  ['write', 'self-dir/x.html', 'symlink_escape'],
  ['delete', 'self-dir/index.html', 'symlink_escape'],
  // Nothing there to read (a dangling link is reported as missing; it leads nowhere).
  ['read', 'dangling.txt', 'not_found'],
  ['read', 'dangling-dir/x.txt', 'not_found'],
  ['read', 'loop1.txt', 'not_found'],
  ['read', 'loop-dir/x.txt', 'not_found'],
];

describe('the hostile corpus: nothing escapes the root', () => {
  it.each(hostile)('%s %j → %s', (op, path, code) => {
    const before = snapshot(tmp);
    const error = refusal(() => perform(op, path));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(CANARY);
    expect(error.message).not.toContain(tmp);
    expect(snapshot(tmp)).toEqual(before);
    outsideIsUntouched();
  });

  /** Look-alikes of `/`, `.` and `:` are ordinary characters: they name files inside the root. */
  const lookAlikes = [
    '‥/x.txt', // two dot leader
    '．．/x.txt', // fullwidth full stops
    '\u2024\u2024/x.txt', // one dot leaders
    'a∕b.txt', // division slash
    'a／b.txt', // fullwidth solidus
    'a⁄b.txt', // fraction slash
    'ｃ：／x.txt', // fullwidth drive letter
    '．git/config.txt', // fullwidth dot before git
  ];
  it.each(lookAlikes)('write and read %j stay inside', (path) => {
    const before = snapshot(tmp);
    const written = sandbox.writeFile(path, 'inside');
    expect(written).toEqual({ path, bytes: 6, changed: true });
    expect(sandbox.readFile(path)).toBe('inside');
    const abs = sandbox.resolve(path);
    expect(realpathSync(abs).startsWith(root + sep)).toBe(true);
    const created = [...snapshot(tmp).keys()].filter((key) => !before.has(key));
    expect(created.length).toBeGreaterThan(0);
    for (const key of created) expect(key.startsWith(`site${sep}`)).toBe(true);
    outsideIsUntouched();
  });

  it('reads through links that stay inside the root, to allowed files', () => {
    expect(sandbox.readFile('inner-link.html')).toBe('<h1>Home</h1>');
    expect(sandbox.readFile('self-dir/about/index.html')).toBe('<h1>About</h1>');
  });

  it('deleting a link to the outside removes the link only', () => {
    expect(sandbox.deleteFile('secret.txt')).toEqual({ deleted: true });
    expect(lstatSync(join(root, 'secret.txt'), { throwIfNoEntry: false })).toBeUndefined();
    outsideIsUntouched();
  });

  it('writing over a hard-linked file replaces it instead of writing through the shared inode', () => {
    linkSync(join(tmp, 'outside/secret.txt'), join(root, 'hard.txt'));
    expect(sandbox.writeFile('hard.txt', 'replaced').changed).toBe(true);
    expect(readFileSync(join(root, 'hard.txt'), 'utf8')).toBe('replaced');
    outsideIsUntouched();
  });

  it('reading a FIFO is refused at once instead of hanging', () => {
    const started = Date.now();
    expect(refusal(() => sandbox.readFile('pipe.txt')).code).toBe('file_type');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('writing', () => {
  it('creates parent folders and reports the normal form of the path', () => {
    expect(sandbox.writeFile('./services//plumbing\\index.html', '<h1>Plumbing</h1>')).toEqual({
      path: 'services/plumbing/index.html',
      bytes: 17,
      changed: true,
    });
    expect(readFileSync(join(root, 'services/plumbing/index.html'), 'utf8')).toBe('<h1>Plumbing</h1>');
  });

  it('is content-addressed: the same content again changes nothing, new content does', () => {
    sandbox.writeFile('styles.css', 'body{}');
    const { mtimeMs, ino } = statSync(join(root, 'styles.css'));
    expect(sandbox.writeFile('styles.css', 'body{}')).toEqual({
      path: 'styles.css',
      bytes: 6,
      changed: false,
    });
    expect(statSync(join(root, 'styles.css'))).toMatchObject({ mtimeMs, ino });
    expect(sandbox.writeFile('styles.css', 'body{margin:0}').changed).toBe(true);
    expect(sandbox.readFile('styles.css')).toBe('body{margin:0}');
  });

  it('counts bytes, not characters', () => {
    expect(sandbox.writeFile('café.txt', 'café').bytes).toBe(5);
  });

  it('takes binary files as bytes only and reads them back as bytes', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]);
    expect(refusal(() => sandbox.writeFile('logo.png', 'not bytes')).code).toBe('file_type');
    expect(sandbox.writeFile('img/logo.png', png)).toMatchObject({ bytes: 9, changed: true });
    expect(sandbox.readFile('img/logo.png')).toEqual(png);
    expect(sandbox.writeFile('img/logo.png', Buffer.from(png)).changed).toBe(false);
  });

  it('refuses bytes that are not UTF-8 for a text file', () => {
    expect(refusal(() => sandbox.writeFile('a.html', Buffer.from([0xc3, 0x28]))).code).toBe('file_type');
  });

  it('allows the listed types in any case, CNAME at the root and .well-known files', () => {
    for (const path of [
      'INDEX.HTM',
      'app.mjs',
      'site.webmanifest',
      'font.woff2',
      'CNAME',
      '.well-known/x.json',
    ]) {
      const content = path.endsWith('.woff2') ? Buffer.from([0]) : 'x';
      expect(sandbox.writeFile(path, content).changed).toBe(true);
    }
  });

  it('enforces the size limits, for text and binary files', () => {
    const small = createSiteSandbox(root, { maxFileBytes: 10, maxBinaryBytes: 20 });
    expect(small.writeFile('ten.txt', '0123456789').bytes).toBe(10);
    const text = refusal(() => small.writeFile('eleven.txt', '01234567890'));
    expect(text.code).toBe('too_large');
    expect(text.message).toMatch(/at most 10 bytes/);
    expect(refusal(() => small.writeFile('big.png', Buffer.alloc(21))).code).toBe('too_large');
    expect(small.writeFile('ok.png', Buffer.alloc(20)).bytes).toBe(20);
    expect(refusal(() => sandbox.writeFile('huge.html', 'x'.repeat(512 * 1024 + 1))).code).toBe('too_large');
  });

  it('refuses a new file beyond the file limit but still lets existing files change', () => {
    rmSync(root, { recursive: true });
    const small = createSiteSandbox(root, { maxFiles: 2 });
    small.writeFile('a.html', 'a');
    small.writeFile('b.html', 'b');
    const error = refusal(() => small.writeFile('c/c.html', 'c'));
    expect(error.code).toBe('too_many_files');
    expect(existsSync(join(root, 'c'))).toBe(false);
    expect(small.writeFile('a.html', 'a2').changed).toBe(true);
    small.deleteFile('b.html');
    expect(small.writeFile('c.html', 'c').changed).toBe(true);
  });

  it('refuses to write over a folder', () => {
    expect(refusal(() => sandbox.writeFile('about', 'x')).code).toBe('file_type');
    mkdirSync(join(root, 'folder.html'));
    expect(refusal(() => sandbox.writeFile('folder.html', 'x')).code).toBe('file_type');
  });

  it('creates the site root on the first write', () => {
    const fresh = createSiteSandbox(join(tmp, 'fresh-site'));
    expect(fresh.listFiles()).toEqual([]);
    expect(refusal(() => fresh.readFile('index.html')).code).toBe('not_found');
    expect(fresh.deleteFile('index.html')).toEqual({ deleted: false });
    fresh.writeFile('index.html', 'hi');
    expect(fresh.listFiles()).toEqual(['index.html']);
  });

  it('leaves no temporary files behind', () => {
    sandbox.writeFile('about/team.html', 'team');
    expect(readdirSync(join(root, 'about')).sort()).toEqual(['index.html', 'team.html']);
  });
});

describe('reading', () => {
  it('returns text as a string', () => {
    expect(sandbox.readFile('about/index.html')).toBe('<h1>About</h1>');
    expect(sandbox.readFile('.well-known/security.txt')).toMatch(/^Contact/);
  });

  it('says what to do when a file is missing', () => {
    const error = refusal(() => sandbox.readFile('contact/index.html'));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/list_files/);
  });

  it('refuses a file over the limit that got there some other way', () => {
    writeFileSync(join(root, 'big.txt'), 'x'.repeat(100));
    expect(refusal(() => createSiteSandbox(root, { maxFileBytes: 99 }).readFile('big.txt')).code).toBe(
      'too_large',
    );
  });
});

describe('listing', () => {
  it('lists regular files, sorted, without .git, hidden files or links', () => {
    writeFileSync(join(root, '.DS_Store'), 'x');
    writeFileSync(join(root, 'about/.draft.html'), 'x');
    expect(sandbox.listFiles()).toEqual(['.well-known/security.txt', 'about/index.html', 'index.html']);
    expect(sandbox.listFiles('.')).toEqual(sandbox.listFiles());
    expect(sandbox.listFiles('about/')).toEqual(['about/index.html']);
  });

  it('refuses a missing folder or a file', () => {
    expect(refusal(() => sandbox.listFiles('nope')).code).toBe('not_found');
    expect(refusal(() => sandbox.listFiles('index.html')).code).toBe('not_found');
  });
});

describe('deleting', () => {
  it('deletes a file and the folders it leaves empty, and is repeatable', () => {
    sandbox.writeFile('a/b/c.html', 'x');
    expect(sandbox.deleteFile('a/b/c.html')).toEqual({ deleted: true });
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(sandbox.deleteFile('a/b/c.html')).toEqual({ deleted: false });
    expect(existsSync(root)).toBe(true);
  });

  it('keeps folders that still hold files', () => {
    sandbox.writeFile('about/team.html', 'x');
    sandbox.deleteFile('about/team.html');
    expect(sandbox.listFiles('about')).toEqual(['about/index.html']);
  });

  it('refuses to delete a folder', () => {
    expect(refusal(() => sandbox.deleteFile('about')).code).toBe('file_type');
  });
});
