/**
 * What every worker (model or demo) always sees besides the history: the brief, the mockup, the board
 * in numbers, the item being worked on and the next one. Read fresh from the database each turn.
 */
import { type Db, projects } from '@sitewright/db';
import {
  getNext,
  getStats,
  listItems,
  listSpecs,
  type WorkItem,
  type WorkItemStats,
} from '@sitewright/engine';
import { eq } from 'drizzle-orm';
import type { Brief } from './brief.ts';
import {
  createLogReader,
  type LogReader,
  latestBrief,
  latestMockup,
  type MockupRecord,
} from './flow/state.ts';

export interface WebsiteSummary {
  projectName: string;
  brief: Brief | null;
  mockup: Omit<MockupRecord, 'html'> | null;
  stats: WorkItemStats;
  /** The item in progress (claimed), with what a worker needs to do it. */
  currentItem: Pick<
    WorkItem,
    | 'id'
    | 'name'
    | 'itemType'
    | 'description'
    | 'steps'
    | 'page'
    | 'attempts'
    | 'lastError'
    | 'parentBugId'
    | 'bugStatus'
    | 'stepsToReproduce'
  > | null;
  nextItem: Pick<WorkItem, 'id' | 'name' | 'itemType'> | null;
  /** Specs the owner added that no work item was planned from yet: they send the flow back to planning. */
  unplannedSpecs: Array<{ name: string; content: string }>;
}

export async function websiteSummary(
  db: Db,
  projectId: string,
  log: LogReader = createLogReader(db),
): Promise<WebsiteSummary> {
  const [project] = await db.select({ name: projects.name }).from(projects).where(eq(projects.id, projectId));
  const events = await log(projectId);
  const mockup = latestMockup(events);
  const items = await listItems(db, projectId);
  const current = items.find((item) => item.status === 'in_progress') ?? null;
  const next = current ? null : await getNext(db, projectId);
  return {
    projectName: project?.name ?? '',
    brief: latestBrief(events)?.brief ?? null,
    mockup: mockup ? { seq: mockup.seq, mockup: mockup.mockup, wireframe: mockup.wireframe } : null,
    stats: await getStats(db, projectId),
    currentItem: current
      ? {
          id: current.id,
          name: current.name,
          itemType: current.itemType,
          description: current.description,
          steps: current.steps,
          page: current.page,
          attempts: current.attempts,
          lastError: current.lastError,
          parentBugId: current.parentBugId,
          bugStatus: current.bugStatus,
          stepsToReproduce: current.stepsToReproduce,
        }
      : null,
    nextItem: next ? { id: next.id, name: next.name, itemType: next.itemType } : null,
    unplannedSpecs: (await listSpecs(db, projectId))
      .filter((spec) => spec.items === 0)
      .map((spec) => ({ name: spec.name, content: spec.content })),
  };
}
