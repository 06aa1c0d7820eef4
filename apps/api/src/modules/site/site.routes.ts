import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function siteRoutes(_deps: AppDeps): Router {
  return Router();
}
