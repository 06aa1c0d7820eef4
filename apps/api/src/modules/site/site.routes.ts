import {
  type CommitList,
  CreateSnapshotRequest,
  type SnapshotDto,
  type SnapshotList,
} from '@sitewright/contracts';
import { type Request, Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { requireUser, sessionUser } from '../../http/session.ts';
import { parseInput } from '../../http/validate.ts';
import { findOwnedProject } from '../projects/access.ts';
import { archiveName, toCommit, toSnapshot } from './site.dto.ts';
import { readCommits, readSnapshots, rollBack, siteArchive, takeSnapshot } from './site.service.ts';

/** How many of the newest commits the history shows. */
const COMMITS_SHOWN = 100;

/** Snapshots and rollback, the site's commit history, and the site as a ZIP. */
export function siteRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(
    ['/projects/:id/snapshots', '/projects/:id/commits', '/projects/:id/site.zip'],
    requireUser(deps.auth),
  );
  const project = (req: Request<{ id: string }>) =>
    findOwnedProject(deps.db.db, sessionUser(req), req.params.id);

  router.get('/projects/:id/snapshots', async (req, res) => {
    const { id } = await project(req);
    const snapshots = await readSnapshots(deps, id);
    res.json({ snapshots: snapshots.map(toSnapshot) } satisfies SnapshotList);
  });

  router.post('/projects/:id/snapshots', async (req, res) => {
    const { id } = await project(req);
    const { name } = parseInput(CreateSnapshotRequest, req.body, 'snapshot');
    const snapshot = await takeSnapshot(deps, id, name);
    res.status(201).json(toSnapshot(snapshot) satisfies SnapshotDto);
  });

  router.post('/projects/:id/snapshots/:sid/rollback', async (req, res) => {
    const { id } = await project(req);
    const snapshot = await rollBack(deps, id, req.params.sid);
    res.json(toSnapshot(snapshot) satisfies SnapshotDto);
  });

  router.get('/projects/:id/commits', async (req, res) => {
    const { id } = await project(req);
    const commits = await readCommits(deps, id, COMMITS_SHOWN);
    res.json({ commits: commits.map(toCommit) } satisfies CommitList);
  });

  router.get('/projects/:id/site.zip', async (req, res) => {
    const { id, name } = await project(req);
    const archive = await siteArchive(deps, id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${archiveName(name)}"`);
    res.setHeader('Cache-Control', 'no-store');
    // Once bytes are out, a failed read can only cut the download short (the client sees it truncated).
    archive.on('error', (error) => {
      req.log?.warn({ err: error, projectId: id }, 'site.zip stopped');
      res.destroy(error);
    });
    archive.pipe(res);
  });

  return router;
}
