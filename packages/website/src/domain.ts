/**
 * The website domain pack: everything the engine must not know — stages, tools, the hook chain,
 * gates, prompts, the summary workers see, and how the site repository follows rewinds and rollbacks.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '@sitewright/db';
import { type DomainPack, listItems, type StoredEvent, workItemTools } from '@sitewright/engine';
import type { BrowserPool } from './browser/pool.ts';
import { flowGates } from './flow/gates.ts';
import { createLogReader, latestBrief } from './flow/state.ts';
import { flowTools } from './flow/tools.ts';
import { siteGates } from './gates/site-gates.ts';
import { headCommit, resetTo } from './git/index.ts';
import { websiteHooks } from './hooks/index.ts';
import { projectPaths } from './paths.ts';
import { loadPrompts, type PromptTemplate, renderPrompt } from './prompts.ts';
import { Stage, stages } from './stages.ts';
import { type WebsiteSummary, websiteSummary } from './summary.ts';
import { browserCheckTool } from './tools/browser-check.ts';
import { fileTools } from './tools/files.ts';

export interface WebsiteDomainOptions {
  db: Db;
  /** DATA_DIR: project sites and evidence live under `projects/<id>/`. */
  dataDir: string;
  /** The public URL a project's site will be served at (used in sitemap, canonical links, JSON-LD). */
  publicBaseUrl(projectId: string): string;
  /** One shared browser for the runner's checks. */
  browserPool: BrowserPool;
  promptsDir?: string;
}

/** Which template serves a stage (the build stage analyses bugs with its own template). */
function templateFor(stage: string, currentItemType: string | undefined): string {
  switch (stage) {
    case Stage.bootstrap:
      return 'bootstrap';
    case Stage.mockup:
      return 'mockup';
    case Stage.planning:
      return 'initializer';
    case Stage.audit:
      return 'intent-audit';
    default:
      return currentItemType === 'bug' ? 'bug-analysis' : 'coding';
  }
}

/** The last commit the hook chain made in the active history (what the site looked like then). */
export function lastCommitIn(events: readonly StoredEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as StoredEvent;
    if (event.type === 'hook_finished' && event.payload.hook === 'git_commit' && event.payload.ok) {
      const sha = /\b[0-9a-f]{40}\b/.exec(event.payload.detail ?? '')?.[0];
      if (sha) return sha;
    }
  }
  return null;
}

export function websiteDomain(options: WebsiteDomainOptions): DomainPack {
  const { db } = options;
  const paths = projectPaths(options.dataDir);
  const templates: Map<string, PromptTemplate> = loadPrompts(options.promptsDir);
  const log = createLogReader(db);
  const loadBrief = async (_db: unknown, projectId: string) =>
    latestBrief(await log(projectId))?.brief ?? null;
  const currentItem = async (_db: unknown, projectId: string) => {
    const item = (await listItems(db, projectId)).find((candidate) => candidate.status === 'in_progress');
    return item ? { id: item.id, name: item.name } : null;
  };
  const siteOptions = {
    siteDirOf: paths.siteDir,
    publicBaseUrl: options.publicBaseUrl,
    loadBrief,
    currentItem,
  };

  return {
    name: 'website',
    initialStage: Stage.bootstrap,
    stages,
    tools: [
      ...fileTools({ siteDirOf: paths.siteDir }),
      browserCheckTool({
        pool: options.browserPool,
        siteDirOf: paths.siteDir,
        evidenceDirOf: paths.evidenceDir,
      }),
      ...workItemTools(db),
      ...flowTools({ db, log, siteDirOf: paths.siteDir }),
    ],
    hooks: websiteHooks(siteOptions),
    gates: [...flowGates({ db, log, siteDirOf: paths.siteDir }), ...siteGates(siteOptions)],
    async systemPrompt(context) {
      // The engine hands over the summary it computed for this turn (see `summary` below).
      const summary = context.summary as unknown as WebsiteSummary;
      const id = templateFor(context.stage, summary.currentItem?.itemType);
      const [project] = await db.query.projects.findMany({
        where: (p, { eq }) => eq(p.id, context.projectId),
      });
      const override = (project?.settings as { prompts?: Record<string, string> } | null)?.prompts?.[id];
      const template = override ? { body: override } : templates.get(id);
      if (!template) throw new Error(`No prompt template "${id}" in ${options.promptsDir ?? 'prompts/'}`);
      return renderPrompt(template, {
        projectName: summary.projectName,
        brief: summary.brief,
        mockup: summary.mockup
          ? { pages: summary.mockup.mockup.pages, wireframe: summary.mockup.wireframe }
          : null,
        item: summary.currentItem,
        items: summary.currentItem ? [summary.currentItem] : [],
        specs: null,
      });
    },
    summary: async (context) => ({ ...(await websiteSummary(db, context.projectId, log)) }),
    snapshotRef: async (context) => headCommit(paths.siteDir(context.projectId)),
    async onHistoryChanged(context) {
      const siteDir = paths.siteDir(context.projectId);
      const target = context.reason === 'rollback' ? (context.ref ?? null) : lastCommitIn(context.events);
      if (target) {
        await resetTo(siteDir, target);
        return;
      }
      // Back before the first commit: the site had no files yet.
      for (const entry of safeReaddir(siteDir)) {
        if (entry !== '.git') rmSync(join(siteDir, entry), { recursive: true, force: true });
      }
    },
  };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
