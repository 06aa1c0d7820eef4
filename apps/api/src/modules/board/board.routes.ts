import {
  type Board,
  CreateBugRequest,
  type CreatedCards,
  CreateFeatureRequest,
  CreateSpecRequest,
  ReprioritiseRequest,
  type SpecList,
  type SpecSummary,
  type WorkItemCard,
} from '@sitewright/contracts';
import { DEFAULT_MAX_ATTEMPTS, type WorkItem } from '@sitewright/engine';
import { type Request, Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { requireUser, sessionUser } from '../../http/session.ts';
import { parseInput } from '../../http/validate.ts';
import { findOwnedProject } from '../projects/access.ts';
import { toBoard, toCard, toCards, toSpecSummary } from './board.dto.ts';
import {
  addFeature,
  addSpec,
  fileBug,
  readBoard,
  readItem,
  readSpecs,
  removeCard,
  reprioritiseCard,
  skipCard,
} from './board.service.ts';
import { openEvidence } from './evidence.service.ts';

/**
 * The kanban (`/projects/:id/features`), its evidence screenshots (`/projects/:id/evidence`) and the
 * project's specs (`/projects/:id/specs`).
 */
export function boardRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(
    ['/projects/:id/features', '/projects/:id/evidence', '/projects/:id/specs'],
    requireUser(deps.auth),
  );
  const project = (req: Request<{ id: string }>) =>
    findOwnedProject(deps.db.db, sessionUser(req), req.params.id);
  const cards = (created: WorkItem[], all: WorkItem[]): CreatedCards => ({
    items: toCards(created, all, DEFAULT_MAX_ATTEMPTS),
  });

  router.get('/projects/:id/features', async (req, res) => {
    const { id } = await project(req);
    const { board, all } = await readBoard(deps, id);
    res.json(toBoard(board, all, DEFAULT_MAX_ATTEMPTS) satisfies Board);
  });

  router.post('/projects/:id/features', async (req, res) => {
    const { id } = await project(req);
    const input = parseInput(CreateFeatureRequest, req.body, 'feature');
    const { created, all } = await addFeature(deps, id, input);
    res.status(201).json(cards(created, all));
  });

  router.post('/projects/:id/features/bug', async (req, res) => {
    const { id } = await project(req);
    const input = parseInput(CreateBugRequest, req.body, 'bug report');
    const { created, all } = await fileBug(deps, id, input);
    res.status(201).json(cards(created, all));
  });

  router.get('/projects/:id/features/:fid', async (req, res) => {
    const { id } = await project(req);
    const { item, all } = await readItem(deps, id, itemId(req.params.fid));
    res.json(toCard(item, all, DEFAULT_MAX_ATTEMPTS) satisfies WorkItemCard);
  });

  router.delete('/projects/:id/features/:fid', async (req, res) => {
    const { id } = await project(req);
    await removeCard(deps, id, itemId(req.params.fid));
    res.status(204).end();
  });

  router.patch('/projects/:id/features/:fid/skip', async (req, res) => {
    const { id } = await project(req);
    const { item, all } = await skipCard(deps, id, itemId(req.params.fid));
    res.json(toCard(item, all, DEFAULT_MAX_ATTEMPTS) satisfies WorkItemCard);
  });

  router.patch('/projects/:id/features/:fid', async (req, res) => {
    const { id } = await project(req);
    const { priority } = parseInput(ReprioritiseRequest, req.body, 'priority');
    const { item, all } = await reprioritiseCard(deps, id, itemId(req.params.fid), priority);
    res.json(toCard(item, all, DEFAULT_MAX_ATTEMPTS) satisfies WorkItemCard);
  });

  router.get('/projects/:id/evidence/:file', async (req, res) => {
    const { id } = await project(req);
    const evidence = await openEvidence(deps, id, req.params.file);
    res.setHeader('Content-Type', evidence.contentType);
    res.setHeader('Content-Length', String(evidence.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', 'inline');
    // A screenshot's name is unique, so its bytes never change; only the owner's browser keeps a copy.
    res.setHeader('Cache-Control', 'private, max-age=3600');
    evidence.stream.on('error', (error) => {
      req.log?.warn({ err: error, projectId: id }, 'evidence stopped');
      res.destroy(error);
    });
    evidence.stream.pipe(res);
  });

  router.get('/projects/:id/specs', async (req, res) => {
    const { id } = await project(req);
    const specs = await readSpecs(deps, id);
    res.json({ specs: specs.map(toSpecSummary) } satisfies SpecList);
  });

  router.post('/projects/:id/specs', async (req, res) => {
    const { id } = await project(req);
    const input = parseInput(CreateSpecRequest, req.body, 'spec');
    const spec = await addSpec(deps, id, input);
    res.status(201).json(toSpecSummary(spec) satisfies SpecSummary);
  });

  return router;
}

/** A card id from the path; anything that cannot be one is a card that does not exist. */
function itemId(param: string): number {
  const id = /^\d{1,9}$/.test(param) ? Number(param) : 0;
  if (id < 1) throw new AppError('not_found', 'There is no such card on this board.');
  return id;
}
