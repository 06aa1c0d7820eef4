import { CreateUserRequest, UserList, UserResponse } from '@sitewright/contracts';
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { requireAdmin, sessionUser } from '../../http/session.ts';
import { parseInput } from '../../http/validate.ts';
import { createUser, deleteUser, listUsers } from './users.service.ts';

/** Admin-only user management. The guard sits on each route: this router is mounted on all of `/api`. */
export function userRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.auth);

  router.get('/users', admin, async (_req, res) => {
    res.json(UserList.parse({ users: await listUsers(deps.db.db) }));
  });

  router.post('/users', admin, async (req, res) => {
    const input = parseInput(CreateUserRequest, req.body);
    const user = await createUser(deps.db.db, input, { bcryptRounds: deps.env.BCRYPT_ROUNDS });
    res.status(201).json(UserResponse.parse({ user }));
  });

  router.delete('/users/:id', admin, async (req, res) => {
    await deleteUser(deps.db.db, sessionUser(req), req.params.id as string);
    res.status(204).end();
  });

  return router;
}
