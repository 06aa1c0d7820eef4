import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function authRoutes(_deps: AppDeps): Router {
  return Router();
}
