/** `/api/projects` and the owner's actions on one project (SPEC §6). */
import {
  ActionResult,
  AgentAction,
  AgentStatus,
  AlarmList,
  AlarmsQuery,
  AnswerRequest,
  CreateProjectRequest,
  EventPage,
  EventsQuery,
  GateList,
  LlmCallList,
  LlmCallsQuery,
  MessageRequest,
  ProjectDetail,
  ProjectList,
  ProjectModels,
  RewindRequest,
  Spend,
  UpdateProjectModels,
} from '@sitewright/contracts';
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { requireUser, sessionUser } from '../../http/session.ts';
import { parseInput } from '../../http/validate.ts';
import { findOwnedProject } from './access.ts';
import { projectModels, updateProjectModels } from './models.ts';
import * as service from './projects.service.ts';

const ListQuery = z.object({ scope: z.enum(['mine', 'all']).default('mine') });

export function projectRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/projects', requireUser(deps.auth));
  const owned = (req: Request) => findOwnedProject(deps.db.db, sessionUser(req), String(req.params.id));

  router.get('/projects', async (req, res) => {
    const { scope } = parseInput(ListQuery, req.query, 'query');
    const projects = await service.listProjects(deps, sessionUser(req), scope === 'all');
    res.json(ProjectList.parse({ projects }));
  });

  router.post('/projects', async (req, res) => {
    const { name } = parseInput(CreateProjectRequest, req.body);
    const detail = await service.createProject(deps, sessionUser(req), name);
    res.status(201).location(`/api/projects/${detail.project.id}`).json(ProjectDetail.parse(detail));
  });

  router.get('/projects/:id', async (req, res) => {
    res.json(ProjectDetail.parse(await service.getProjectDetail(deps, await owned(req))));
  });

  router.delete('/projects/:id', async (req, res) => {
    await service.deleteProject(deps, await owned(req));
    res.status(204).end();
  });

  router.get('/projects/:id/events', async (req, res) => {
    const project = await owned(req);
    const { after, limit } = parseInput(EventsQuery, req.query, 'query');
    res.json(EventPage.parse(await service.listEvents(deps, project, after, limit)));
  });

  router.post('/projects/:id/answer', async (req, res) => {
    const project = await owned(req);
    const input = parseInput(AnswerRequest, req.body);
    res.json(ActionResult.parse(await service.answer(deps, project.id, input)));
  });

  router.post('/projects/:id/messages', async (req, res) => {
    const project = await owned(req);
    const { text } = parseInput(MessageRequest, req.body);
    res.status(201).json(ActionResult.parse(await service.sendMessage(deps, project.id, text)));
  });

  router.get('/projects/:id/agent/status', async (req, res) => {
    const project = await owned(req);
    res.json(AgentStatus.parse(await service.agentStatus(deps, project.id)));
  });

  router.post('/projects/:id/agent/:action', async (req, res) => {
    const project = await owned(req);
    const action = parseInput(AgentAction, req.params.action, 'agent action');
    res.json(ActionResult.parse(await service.controlAgent(deps, project.id, action)));
  });

  router.post('/projects/:id/rewind', async (req, res) => {
    const project = await owned(req);
    const { seq } = parseInput(RewindRequest, req.body);
    res.json(ActionResult.parse(await service.rewind(deps, project.id, seq)));
  });

  router.get('/projects/:id/spend', async (req, res) => {
    const project = await owned(req);
    res.json(Spend.parse(await service.getSpend(deps, project.id)));
  });

  router.get('/projects/:id/models', async (req, res) => {
    const project = await owned(req);
    res.json(ProjectModels.parse(projectModels(deps, project.settings)));
  });

  router.patch('/projects/:id/models', async (req, res) => {
    const project = await owned(req);
    const input = parseInput(UpdateProjectModels, req.body);
    res.json(ProjectModels.parse(await updateProjectModels(deps, project, input)));
  });

  router.get('/projects/:id/llm-calls', async (req, res) => {
    const project = await owned(req);
    const { limit } = parseInput(LlmCallsQuery, req.query, 'query');
    res.json(LlmCallList.parse({ calls: await service.listLlmCalls(deps, project.id, limit) }));
  });

  router.get('/projects/:id/alarms', async (req, res) => {
    const project = await owned(req);
    const { status } = parseInput(AlarmsQuery, req.query, 'query');
    res.json(AlarmList.parse({ alarms: await service.listAlarms(deps, project.id, status) }));
  });

  router.get('/projects/:id/gates', async (req, res) => {
    const project = await owned(req);
    res.json(GateList.parse({ gates: await service.listGates(deps, project.id) }));
  });

  return router;
}
