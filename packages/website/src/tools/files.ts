/**
 * The worker's file tools: read, write, list and delete the site's files, each call through a
 * sandbox rooted at the project's site directory. Refusals reach the worker as `ToolError`s carrying
 * the sandbox's message (what was wrong and what to do instead); other file-system failures are
 * reported by error code only, so no absolute path of the server reaches the model.
 */
import { defineTool, type ToolContext, ToolError } from '@sitewright/engine';
import { z } from 'zod';
import { SandboxError, showPath } from '../sandbox/errors.ts';
import { MAX_PATH_CHARS, parseSitePath } from '../sandbox/policy.ts';
import { createSiteSandbox, type SandboxLimits, type SiteSandbox } from '../sandbox/sandbox.ts';

export interface FileToolsOptions {
  /** The project's site directory (absolute); it need not exist before the first write. */
  siteDirOf(projectId: string): string;
  limits?: SandboxLimits;
}

/** Tool names, for stage allowlists. */
export const fileToolNames = ['read_file', 'write_file', 'list_files', 'delete_file'] as const;

/** The schema's cap on written text; the sandbox's byte limit (512 KiB by default) is the real one. */
export const MAX_CONTENT_CHARS = 600_000;

const SitePathArg = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .describe('Relative to the site root, like `index.html` or `about/index.html`.');

export function fileTools(options: FileToolsOptions) {
  /** Runs one sandbox operation for the calling project, turning refusals into worker-facing errors. */
  function withSandbox<T>(context: ToolContext, what: string, action: (sandbox: SiteSandbox) => T): T {
    context.signal.throwIfAborted();
    try {
      return action(createSiteSandbox(options.siteDirOf(context.projectId), options.limits));
    } catch (error) {
      if (error instanceof SandboxError) throw new ToolError(error.message, { cause: error });
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (typeof code === 'string') {
        throw new ToolError(`Could not ${what}: the file system refused (${code}).`, { cause: error });
      }
      throw error;
    }
  }

  const readFile = defineTool({
    name: 'read_file',
    description:
      'Read one file of the site. Text files (HTML, CSS, JS, JSON, SVG, TXT, XML) come back as `content`; images and fonts only as their size.',
    args: z.object({ path: SitePathArg }),
    repeatable: true,
    readOnly: true,
    run: async (context, args) => {
      const { path, content } = withSandbox(context, `read ${showPath(args.path)}`, (sandbox) => ({
        path: parseSitePath(args.path).path,
        content: sandbox.readFile(args.path),
      }));
      const data =
        typeof content === 'string'
          ? { path, bytes: Buffer.byteLength(content, 'utf8'), content }
          : { path, bytes: content.length, binary: true };
      return { data, hints: { target: path } };
    },
  });

  const writeFile = defineTool({
    name: 'write_file',
    description:
      'Create or replace one text file of the site with the full new content (folders are created as needed). Writing identical content again changes nothing.',
    args: z.object({ path: SitePathArg, content: z.string().max(MAX_CONTENT_CHARS) }),
    // Content-addressed: running it again writes the same bytes, or nothing at all.
    repeatable: true,
    runsHooks: true,
    run: async (context, args) => {
      const written = withSandbox(context, `write ${showPath(args.path)}`, (sandbox) =>
        sandbox.writeFile(args.path, args.content),
      );
      return {
        data: written,
        hints: { target: written.path, content: args.content, isEdit: true },
      };
    },
  });

  const listFiles = defineTool({
    name: 'list_files',
    description:
      "List the site's files (paths relative to the site root, sorted), or only those under `dir`.",
    args: z.object({ dir: z.string().max(MAX_PATH_CHARS).optional() }),
    repeatable: true,
    readOnly: true,
    run: async (context, args) => {
      const files = withSandbox(context, 'list files', (sandbox) => sandbox.listFiles(args.dir));
      return { data: { files, count: files.length } };
    },
  });

  const deleteFile = defineTool({
    name: 'delete_file',
    description: 'Delete one file of the site (folders left empty disappear). A snapshot is taken first.',
    args: z.object({ path: SitePathArg }),
    // Deleting what is already gone answers `deleted: false`: safe to run again.
    repeatable: true,
    risky: true,
    runsHooks: true,
    run: async (context, args) => {
      const { path, deleted } = withSandbox(context, `delete ${showPath(args.path)}`, (sandbox) => ({
        path: parseSitePath(args.path).path,
        ...sandbox.deleteFile(args.path),
      }));
      return { data: { path, deleted }, hints: { target: path, isEdit: true } };
    },
  });

  return [readFile, writeFile, listFiles, deleteFile];
}
