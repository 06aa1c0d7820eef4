import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function projectRoutes(_deps: AppDeps): Router {
  return Router();
}
