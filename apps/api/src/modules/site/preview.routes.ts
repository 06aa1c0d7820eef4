import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function previewRoutes(_deps: AppDeps): Router {
  return Router();
}
