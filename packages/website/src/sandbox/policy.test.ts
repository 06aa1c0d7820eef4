import { describe, expect, it } from 'vitest';
import { SandboxError } from './errors.ts';
import { fileKindOf, isGitName, parseSitePath } from './policy.ts';

describe('parseSitePath', () => {
  it.each([
    ['index.html', 'index.html'],
    ['./about/index.html', 'about/index.html'],
    ['about//index.html', 'about/index.html'],
    ['about\\team\\index.html', 'about/team/index.html'],
    ['about/./index.html', 'about/index.html'],
    ['about/', 'about'],
    ['.well-known/security.txt', '.well-known/security.txt'],
    ['my page.html', 'my page.html'],
    ['%2e%2e', null],
    ['a/.well-known/x.txt', null],
  ])('%j → %j', (input, expected) => {
    if (expected === null) expect(() => parseSitePath(input)).toThrow(SandboxError);
    else expect(parseSitePath(input).path).toBe(expected);
  });
});

describe('fileKindOf', () => {
  it.each([
    ['index.html', 'text'],
    ['Styles.CSS', 'text'],
    ['sitemap.xml', 'text'],
    ['CNAME', 'text'],
    ['logo.svg', 'text'],
    ['photo.JPEG', 'binary'],
    ['favicon.ico', 'binary'],
    ['fonts/body.woff2', 'binary'],
    ['a/CNAME', null],
    ['cname', null],
    ['page.html.php', null],
    ['Makefile', null],
    ['notes.md', null],
  ])('%s → %s', (input, expected) => {
    const path = parseSitePath(input);
    if (expected === null) expect(() => fileKindOf(path)).toThrow(/not allowed/);
    else expect(fileKindOf(path)).toBe(expected);
  });
});

describe('isGitName', () => {
  it.each([
    ['.git', true],
    ['.GIT', true],
    ['.git. .', true],
    ['GIT~1', true],
    ['.gitignore', false],
    ['git', false],
    ['.github', false],
  ])('%j → %s', (name, expected) => {
    expect(isGitName(name)).toBe(expected);
  });
});
