/**
 * Every HTTP route of the contract in one table: method, path, who may call it, and the schemas of
 * its input and output. The OpenAPI document is generated from it, and the API's route × caller test
 * walks it, so a route cannot be added to one without the other noticing.
 */
import { z } from 'zod';
import {
  ChangePasswordRequest,
  CreateUserRequest,
  LoginRequest,
  LoginResponse,
  MeResponse,
  UserList,
  UserResponse,
} from './auth.ts';
import {
  Board,
  CommitList,
  CreateBugRequest,
  CreatedCards,
  CreateFeatureRequest,
  CreateSnapshotRequest,
  CreateSpecRequest,
  ReprioritiseRequest,
  SnapshotDto,
  SnapshotList,
  SpecList,
  SpecSummary,
  WorkItemCard,
} from './board.ts';
import { ErrorBody } from './errors.ts';
import { HealthResponse, ReadyResponse } from './health.ts';
import {
  ActionResult,
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
} from './projects.ts';

/**
 * Who may call a route: anyone; any signed-in user; admins only; or the owner of the project in the
 * path (and admins) — everyone else gets 404 for those, never 403.
 */
export type Access = 'public' | 'session' | 'admin' | 'owner';

export interface ApiRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style: `/api/projects/{id}`. */
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status and its body (none for 204). */
  status: number;
  response?: z.ZodType;
  /** For bodies that are not JSON. */
  produces?: 'application/zip' | 'text/html' | 'image/*';
  /** Statuses beyond the ones `access` and input imply. */
  errors?: number[];
}

const ListProjectsQuery = z.object({ scope: z.enum(['mine', 'all']).default('mine') });

export const apiRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/health',
    summary: 'Liveness and database state',
    access: 'public',
    status: 200,
    response: HealthResponse,
    errors: [503],
  },
  {
    method: 'get',
    path: '/api/ready',
    summary: 'Readiness: the database answers and every migration is applied',
    access: 'public',
    status: 200,
    response: ReadyResponse,
    errors: [503],
  },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', access: 'public', status: 200 },

  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; sets the access_token and refresh_token cookies',
    access: 'public',
    body: LoginRequest,
    status: 200,
    response: LoginResponse,
    errors: [401, 429],
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    summary: 'Rotate the refresh token; a reused one revokes its family',
    access: 'public',
    status: 200,
    response: LoginResponse,
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Revoke the session and clear the cookies',
    access: 'public',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/auth/me',
    summary: 'The signed-in user',
    access: 'session',
    status: 200,
    response: MeResponse,
  },
  {
    method: 'post',
    path: '/api/auth/change-password',
    summary: 'Change the password; signs out every other session',
    access: 'session',
    body: ChangePasswordRequest,
    status: 200,
    response: MeResponse,
  },

  {
    method: 'get',
    path: '/api/users',
    summary: 'Every user',
    access: 'admin',
    status: 200,
    response: UserList,
  },
  {
    method: 'post',
    path: '/api/users',
    summary: 'Add a user',
    access: 'admin',
    body: CreateUserRequest,
    status: 201,
    response: UserResponse,
    errors: [409],
  },
  {
    method: 'delete',
    path: '/api/users/{userId}',
    summary: 'Remove a user and their projects',
    access: 'admin',
    status: 204,
    errors: [404, 422],
  },

  {
    method: 'get',
    path: '/api/projects',
    summary: "The caller's projects with status and progress (`scope=all`: every owner's, admins only)",
    access: 'session',
    query: ListProjectsQuery,
    status: 200,
    response: ProjectList,
  },
  {
    method: 'post',
    path: '/api/projects',
    summary: 'Create a project; the agent starts and asks its first question',
    access: 'session',
    body: CreateProjectRequest,
    status: 201,
    response: ProjectDetail,
  },
  {
    method: 'get',
    path: '/api/projects/{id}',
    summary: 'The project page: run status, open questions, gates, open alarms, spend, progress',
    access: 'owner',
    status: 200,
    response: ProjectDetail,
  },
  {
    method: 'delete',
    path: '/api/projects/{id}',
    summary: 'Delete the project, its history and its files',
    access: 'owner',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/events',
    summary: 'The event log after a seq',
    access: 'owner',
    query: EventsQuery,
    status: 200,
    response: EventPage,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/answer',
    summary: 'Answer a question, an approval or a continuation',
    access: 'owner',
    body: AnswerRequest,
    status: 200,
    response: ActionResult,
    errors: [409],
  },
  {
    method: 'post',
    path: '/api/projects/{id}/messages',
    summary: 'A free-form message to the agent',
    access: 'owner',
    body: MessageRequest,
    status: 201,
    response: ActionResult,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/agent/start',
    summary: 'Start the agent',
    access: 'owner',
    status: 200,
    response: ActionResult,
    errors: [409],
  },
  {
    method: 'post',
    path: '/api/projects/{id}/agent/pause',
    summary: 'Pause the agent',
    access: 'owner',
    status: 200,
    response: ActionResult,
    errors: [409],
  },
  {
    method: 'post',
    path: '/api/projects/{id}/agent/resume',
    summary: 'Resume a paused agent',
    access: 'owner',
    status: 200,
    response: ActionResult,
    errors: [409],
  },
  {
    method: 'post',
    path: '/api/projects/{id}/agent/stop',
    summary: 'Stop the agent',
    access: 'owner',
    status: 200,
    response: ActionResult,
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/projects/{id}/agent/status',
    summary: 'Run status, pause reason and whether a runner is on it',
    access: 'owner',
    status: 200,
    response: AgentStatus,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/rewind',
    summary: 'Rewind to an earlier question or approval (its seq)',
    access: 'owner',
    body: RewindRequest,
    status: 200,
    response: ActionResult,
    errors: [409, 422],
  },

  {
    method: 'get',
    path: '/api/projects/{id}/features',
    summary: 'Work items grouped for the board',
    access: 'owner',
    status: 200,
    response: Board,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/features',
    summary: 'Add a feature (10 steps or more are split into parts)',
    access: 'owner',
    body: CreateFeatureRequest,
    status: 201,
    response: CreatedCards,
    errors: [422],
  },
  {
    method: 'post',
    path: '/api/projects/{id}/features/bug',
    summary: 'Report a bug (priority 0); the agent reproduces and fixes it',
    access: 'owner',
    body: CreateBugRequest,
    status: 201,
    response: CreatedCards,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/features/{fid}',
    summary: 'One card with steps, attempts and evidence',
    access: 'owner',
    status: 200,
    response: WorkItemCard,
  },
  {
    method: 'delete',
    path: '/api/projects/{id}/features/{fid}',
    summary: 'Remove a card',
    access: 'owner',
    status: 204,
    errors: [409, 422],
  },
  {
    method: 'patch',
    path: '/api/projects/{id}/features/{fid}/skip',
    summary: 'Move a card to the end of its queue',
    access: 'owner',
    status: 200,
    response: WorkItemCard,
    errors: [409, 422],
  },
  {
    method: 'patch',
    path: '/api/projects/{id}/features/{fid}',
    summary: 'Give a card a new priority (0 runs first within its group and layer)',
    access: 'owner',
    body: ReprioritiseRequest,
    status: 200,
    response: WorkItemCard,
    errors: [422],
  },
  {
    method: 'get',
    path: '/api/projects/{id}/evidence/{file}',
    summary: "An evidence screenshot named by a card's evidence (PNG, JPEG or WebP)",
    access: 'owner',
    status: 200,
    produces: 'image/*',
  },
  {
    method: 'get',
    path: '/api/projects/{id}/specs',
    summary: 'The specs the board was planned from',
    access: 'owner',
    status: 200,
    response: SpecList,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/specs',
    summary: 'Add a spec; the agent plans it into features',
    access: 'owner',
    body: CreateSpecRequest,
    status: 201,
    response: SpecSummary,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/snapshots',
    summary: 'Restore points',
    access: 'owner',
    status: 200,
    response: SnapshotList,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/snapshots',
    summary: 'Take a snapshot of the board and the site',
    access: 'owner',
    body: CreateSnapshotRequest,
    status: 201,
    response: SnapshotDto,
  },
  {
    method: 'post',
    path: '/api/projects/{id}/snapshots/{sid}/rollback',
    summary: 'Restore the board and the site files of a snapshot',
    access: 'owner',
    status: 200,
    response: SnapshotDto,
  },

  {
    method: 'get',
    path: '/api/projects/{id}/spend',
    summary: 'Spend per model against the caps',
    access: 'owner',
    status: 200,
    response: Spend,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/models',
    summary: 'The model each role uses for this project (the configured one or its override)',
    access: 'owner',
    status: 200,
    response: ProjectModels,
  },
  {
    method: 'patch',
    path: '/api/projects/{id}/models',
    summary: 'Override (or, with null, restore) a role’s model for this project from its next call',
    access: 'owner',
    body: UpdateProjectModels,
    status: 200,
    response: ProjectModels,
    errors: [400, 409],
  },
  {
    method: 'get',
    path: '/api/projects/{id}/llm-calls',
    summary: 'The newest model calls (secrets redacted)',
    access: 'owner',
    query: LlmCallsQuery,
    status: 200,
    response: LlmCallList,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/alarms',
    summary: 'Alarms with severity and recommended action',
    access: 'owner',
    query: AlarmsQuery,
    status: 200,
    response: AlarmList,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/gates',
    summary: 'Gates with their criteria results',
    access: 'owner',
    status: 200,
    response: GateList,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/commits',
    summary: "The site's version history",
    access: 'owner',
    status: 200,
    response: CommitList,
  },
  {
    method: 'get',
    path: '/api/projects/{id}/site.zip',
    summary: 'The site as a ZIP (without its git history)',
    access: 'owner',
    status: 200,
    produces: 'application/zip',
  },
];

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const errorReasons: Record<number, string> = {
  400: 'Invalid input',
  401: 'Not signed in',
  403: 'Not allowed (admins only, or a cross-site request)',
  404: 'Not found (also for projects of other users)',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  422: 'Breaks a rule',
  429: 'Too many attempts; see Retry-After',
  503: 'Unavailable',
};

function errorStatuses(route: ApiRoute): number[] {
  const statuses = new Set(route.errors ?? []);
  if (route.access !== 'public') statuses.add(401);
  if (route.access === 'admin') statuses.add(403);
  if (route.access === 'owner') statuses.add(404);
  if (route.body || route.query) statuses.add(400);
  if (route.body) statuses.add(413);
  if (route.method !== 'get') statuses.add(403);
  return [...statuses].sort();
}

/** The OpenAPI 3.1 document of the HTTP API, generated from `apiRoutes`. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: name === 'fid' ? 'integer' : 'string' },
    }));
    if (route.query) {
      const query = schemaOf(route.query, 'input') as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: false, schema });
      }
    }
    const responses: Record<string, unknown> = {
      [route.status]: {
        description: route.summary,
        ...(route.response
          ? { content: { 'application/json': { schema: schemaOf(route.response, 'output') } } }
          : route.produces
            ? { content: { [route.produces]: { schema: { type: 'string', format: 'binary' } } } }
            : {}),
      },
    };
    for (const status of errorStatuses(route)) {
      responses[status] = {
        description: errorReasons[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = {
      summary: route.summary,
      ...(route.access === 'public' ? { security: [] } : {}),
      'x-access': route.access,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sitewright API',
      version,
      description:
        'Cookie-authenticated JSON API. Errors are `{ error: { code, message, details? } }`. Live events: WebSocket `/ws/projects/{id}?after=SEQ` (see docs/http-api.md).',
    },
    components: {
      securitySchemes: { cookie: { type: 'apiKey', in: 'cookie', name: 'access_token' } },
      schemas: { ErrorBody: schemaOf(ErrorBody, 'output') },
    },
    security: [{ cookie: [] }],
    paths,
  };
}
