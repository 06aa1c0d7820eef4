import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function userRoutes(_deps: AppDeps): Router {
  return Router();
}
