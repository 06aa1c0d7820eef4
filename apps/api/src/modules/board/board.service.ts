/**
 * The owner's side of the kanban: reading the board, adding features, filing bugs, setting items
 * aside, and specs. Every change runs the engine's work-item service in one transaction, announces
 * its events after commit, and gets the agent going again (see `resumeWork`).
 */
import type { CreateBugRequest, CreateFeatureRequest, CreateSpecRequest } from '@sitewright/contracts';
import {
  type Board,
  boardOf,
  createItems,
  DEFAULT_MAX_ATTEMPTS,
  deleteItem,
  EngineError,
  listItems,
  listSpecs,
  type NewWorkItem,
  reprioritiseItem,
  type Spec,
  saveSpec,
  skipItem,
  type WorkItem,
} from '@sitewright/engine';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';

export type BoardDeps = Pick<AppDeps, 'db' | 'engine' | 'bus' | 'runner'>;

/** An item together with the whole board it sits on (its card names what it waits for). */
export interface ItemOnBoard {
  item: WorkItem;
  all: WorkItem[];
}

export async function readBoard(
  deps: BoardDeps,
  projectId: string,
): Promise<{ board: Board; all: WorkItem[] }> {
  const all = await listItems(deps.db.db, projectId);
  return { board: boardOf(all, DEFAULT_MAX_ATTEMPTS), all };
}

export async function readItem(deps: BoardDeps, projectId: string, itemId: number): Promise<ItemOnBoard> {
  const all = await listItems(deps.db.db, projectId);
  const item = all.find((candidate) => candidate.id === itemId);
  if (!item) throw itemNotFound(itemId);
  return { item, all };
}

/** A feature the owner asks for; one of ten steps or more comes back as several chained parts. */
export async function addFeature(
  deps: BoardDeps,
  projectId: string,
  input: CreateFeatureRequest,
): Promise<{ created: WorkItem[]; all: WorkItem[] }> {
  return createAndResume(deps, projectId, {
    itemType: 'feature',
    name: input.name,
    description: input.description,
    steps: input.steps,
    category: input.category || null,
    priority: input.priority,
    dependencies: input.dependencies,
  });
}

/** A bug report: priority 0, bug status open, ahead of every feature in the agent's queue. */
export async function fileBug(
  deps: BoardDeps,
  projectId: string,
  input: CreateBugRequest,
): Promise<{ created: WorkItem[]; all: WorkItem[] }> {
  return createAndResume(deps, projectId, {
    itemType: 'bug',
    name: input.name,
    description: input.description,
    stepsToReproduce: input.stepsToReproduce,
    page: input.page || null,
    priority: 0,
  });
}

async function createAndResume(deps: BoardDeps, projectId: string, input: NewWorkItem) {
  const { items: created, events } = await deps.db.db.transaction((tx) =>
    createItems(tx, projectId, [input]),
  );
  deps.bus.publish(events);
  await resumeWork(deps, projectId);
  return { created, all: await listItems(deps.db.db, projectId) };
}

/** Moves an item to the end of the queue (and back to pending). */
export async function skipCard(deps: BoardDeps, projectId: string, itemId: number): Promise<ItemOnBoard> {
  const { item, events } = await deps.db.db.transaction((tx) => skipItem(tx, projectId, itemId));
  deps.bus.publish(events);
  deps.runner?.wake();
  return { item, all: await listItems(deps.db.db, projectId) };
}

/** Gives an item a new priority; the queue (and the board's lane order) follows it. */
export async function reprioritiseCard(
  deps: BoardDeps,
  projectId: string,
  itemId: number,
  priority: number,
): Promise<ItemOnBoard> {
  const { item, events } = await deps.db.db.transaction((tx) =>
    reprioritiseItem(tx, projectId, itemId, priority),
  );
  deps.bus.publish(events);
  deps.runner?.wake();
  return { item, all: await listItems(deps.db.db, projectId) };
}

export async function removeCard(deps: BoardDeps, projectId: string, itemId: number): Promise<void> {
  const { events } = await deps.db.db.transaction((tx) => deleteItem(tx, projectId, itemId));
  deps.bus.publish(events);
  deps.runner?.wake();
}

export async function readSpecs(deps: BoardDeps, projectId: string): Promise<Spec[]> {
  return listSpecs(deps.db.db, projectId);
}

/**
 * Creates a spec, or replaces the one of that name. The planner splits a new or changed spec into
 * features, so a project at rest starts again; the same content again changes nothing.
 */
export async function addSpec(deps: BoardDeps, projectId: string, input: CreateSpecRequest): Promise<Spec> {
  const { spec, events } = await deps.db.db.transaction((tx) => saveSpec(tx, projectId, input));
  deps.bus.publish(events);
  if (events.length > 0) await resumeWork(deps, projectId);
  return spec;
}

/**
 * New work for the agent. A project at rest because it finished (completed) or was stopped (idle)
 * starts again, so a bug filed on a finished site gets fixed without another click. A paused project
 * stays paused — the owner or a safety cap paused it, and new work is no reason to override that —
 * and one waiting for an answer keeps waiting; both pick the item up when they continue.
 */
async function resumeWork(deps: BoardDeps, projectId: string): Promise<void> {
  const project = await deps.engine.peek(projectId);
  if (project.runStatus === 'completed' || project.runStatus === 'idle') {
    try {
      // The engine announces its own commits.
      await deps.engine.start(projectId);
    } catch (error) {
      // Someone else started it between the read and the start: it is running, which is the point.
      if (!(error instanceof EngineError && error.code === 'invalid_transition')) throw error;
    }
  }
  deps.runner?.wake();
}

function itemNotFound(itemId: number): AppError {
  return new AppError('not_found', `There is no card #${itemId} on this board.`);
}
