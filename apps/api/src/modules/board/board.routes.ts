import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function boardRoutes(_deps: AppDeps): Router {
  return Router();
}
