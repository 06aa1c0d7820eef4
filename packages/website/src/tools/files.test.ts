import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ToolContext, type ToolDefinition, ToolError } from '@sitewright/engine';
import { memorySpendMeter } from '@sitewright/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileToolNames, fileTools } from './files.ts';

const PROJECT = '5d0c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f';
const OTHER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

let dataDir: string;
let tools: Map<string, ToolDefinition<unknown>>;

const siteDirOf = (projectId: string) => join(dataDir, 'projects', projectId, 'site');

function context(projectId = PROJECT, signal = new AbortController().signal): ToolContext {
  return { projectId, stage: 'build', signal, spend: memorySpendMeter() };
}

/** Parses the arguments with the tool's schema, as the engine does, then runs it. */
async function call(name: string, args: unknown, ctx = context()) {
  const tool = tools.get(name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.run(ctx, tool.args.parse(args));
}

async function failure(name: string, args: unknown, ctx = context()): Promise<ToolError> {
  try {
    await call(name, args, ctx);
  } catch (error) {
    if (error instanceof ToolError) return error;
    throw error;
  }
  throw new Error(`expected ${name} to fail`);
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sw-file-tools-'));
  tools = new Map(
    fileTools({ siteDirOf, limits: { maxFiles: 5 } }).map((tool) => [
      tool.name,
      tool as ToolDefinition<unknown>,
    ]),
  );
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('file tools', () => {
  it('are the four named tools, with the right flags', () => {
    expect([...tools.keys()]).toEqual([...fileToolNames]);
    const flags = Object.fromEntries(
      [...tools.values()].map((tool) => [
        tool.name,
        { repeatable: tool.repeatable, risky: tool.risky ?? false, runsHooks: tool.runsHooks ?? false },
      ]),
    );
    expect(flags).toEqual({
      read_file: { repeatable: true, risky: false, runsHooks: false },
      write_file: { repeatable: true, risky: false, runsHooks: true },
      list_files: { repeatable: true, risky: false, runsHooks: false },
      delete_file: { repeatable: true, risky: true, runsHooks: true },
    });
  });

  it('write_file writes into the project site, returns the normal path and loop-detector hints', async () => {
    const result = await call('write_file', { path: './about//index.html', content: '<h1>About</h1>' });
    expect(result).toEqual({
      data: { path: 'about/index.html', bytes: 14, changed: true },
      hints: { target: 'about/index.html', content: '<h1>About</h1>', isEdit: true },
    });
    expect(readFileSync(join(siteDirOf(PROJECT), 'about/index.html'), 'utf8')).toBe('<h1>About</h1>');
  });

  it('write_file is content-addressed: the same write again reports changed: false', async () => {
    await call('write_file', { path: 'index.html', content: 'v1' });
    expect((await call('write_file', { path: 'index.html', content: 'v1' })).data).toMatchObject({
      changed: false,
    });
    expect((await call('write_file', { path: 'index.html', content: 'v2' })).data).toMatchObject({
      changed: true,
    });
  });

  it('read_file returns text content, and only the size of binary files', async () => {
    await call('write_file', { path: 'styles.css', content: 'body { color: #111; }' });
    expect(await call('read_file', { path: 'styles.css' })).toEqual({
      data: { path: 'styles.css', bytes: 21, content: 'body { color: #111; }' },
      hints: { target: 'styles.css' },
    });
    writeFileSync(join(siteDirOf(PROJECT), 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect((await call('read_file', { path: 'logo.png' })).data).toEqual({
      path: 'logo.png',
      bytes: 4,
      binary: true,
    });
  });

  it('list_files lists the whole site or one folder', async () => {
    await call('write_file', { path: 'index.html', content: 'home' });
    await call('write_file', { path: 'about/index.html', content: 'about' });
    expect((await call('list_files', {})).data).toEqual({
      files: ['about/index.html', 'index.html'],
      count: 2,
    });
    expect((await call('list_files', { dir: 'about' })).data).toEqual({
      files: ['about/index.html'],
      count: 1,
    });
  });

  it('delete_file deletes, then reports deleted: false', async () => {
    await call('write_file', { path: 'old.html', content: 'old' });
    expect(await call('delete_file', { path: 'old.html' })).toEqual({
      data: { path: 'old.html', deleted: true },
      hints: { target: 'old.html', isEdit: true },
    });
    expect((await call('delete_file', { path: 'old.html' })).data).toEqual({
      path: 'old.html',
      deleted: false,
    });
  });

  it('keeps each project inside its own site', async () => {
    await call('write_file', { path: 'secret.html', content: 'other project' }, context(OTHER));
    expect((await call('list_files', {})).data).toEqual({ files: [], count: 0 });
    const error = await failure('read_file', { path: `../../${OTHER}/site/secret.html` });
    expect(error.message).toMatch(/`\.\.` is not allowed/);
  });

  it.each([
    ['read_file', { path: '/etc/passwd' }, /absolute path/],
    ['read_file', { path: '.git/config' }, /\.git/],
    ['read_file', { path: 'missing.html' }, /does not exist.*list_files/],
    ['write_file', { path: 'deploy.sh', content: 'rm -rf /' }, /`\.sh` files are not allowed/],
    ['write_file', { path: 'logo.png', content: 'text' }, /SVG/],
    ['write_file', { path: '.htaccess', content: 'x' }, /Hidden files/],
    ['list_files', { dir: '../..' }, /`\.\.` is not allowed/],
    ['delete_file', { path: 'C:\\Windows\\win.ini' }, /absolute path/],
  ])('%s %j fails with a message the worker can act on', async (name, args, message) => {
    const error = await failure(name, args);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(dataDir);
  });

  it('refuses to follow a link out of the site', async () => {
    await call('write_file', { path: 'index.html', content: 'home' });
    writeFileSync(join(dataDir, 'outside.txt'), 'outside');
    symlinkSync(join(dataDir, 'outside.txt'), join(siteDirOf(PROJECT), 'out.txt'));
    expect((await failure('read_file', { path: 'out.txt' })).message).toMatch(/link/);
    expect((await failure('write_file', { path: 'out.txt', content: 'pwned' })).message).toMatch(/link/);
    expect(readFileSync(join(dataDir, 'outside.txt'), 'utf8')).toBe('outside');
  });

  it('reports the file limit', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      await call('write_file', { path: `${name}.html`, content: name });
    expect((await failure('write_file', { path: 'f.html', content: 'f' })).message).toMatch(
      /5 files, the limit/,
    );
  });

  it('hides file-system details of unexpected failures', async () => {
    writeFileSync(join(dataDir, 'projects-file'), 'not a folder');
    const broken = fileTools({ siteDirOf: () => join(dataDir, 'projects-file', 'site') });
    const write = broken.find((tool) => tool.name === 'write_file') as ToolDefinition<unknown>;
    const error = await write.run(context(), { path: 'index.html', content: 'x' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).toBe('Could not write `index.html`: the file system refused (ENOTDIR).');
  });

  it('stops before touching the disk when the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      call('write_file', { path: 'index.html', content: 'x' }, context(PROJECT, controller.signal)),
    ).rejects.toThrow();
    expect((await call('list_files', {})).data).toEqual({ files: [], count: 0 });
  });

  it.each([
    ['read_file', { path: '' }],
    ['read_file', { path: 'a'.repeat(301) }],
    ['read_file', {}],
    ['write_file', { path: 'index.html' }],
    ['write_file', { path: 'index.html', content: 'x'.repeat(600_001) }],
    ['list_files', { dir: 'a'.repeat(301) }],
  ])('%s rejects the arguments %#', (name, args) => {
    expect(tools.get(name)?.args.safeParse(args).success).toBe(false);
  });
});
