/**
 * Ownership: every project route loads its project through here. Another user's project and a
 * project that does not exist answer the same 404, so a caller learns nothing about projects it
 * does not own; admins see every project.
 */
import { type Db, projects } from '@sitewright/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../http/session.ts';

export type ProjectRow = typeof projects.$inferSelect;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function projectNotFound(): AppError {
  return new AppError('not_found', 'There is no such project.');
}

/** The project, when the caller may see it; otherwise 404. */
export async function findOwnedProject(db: Db, user: SessionUser, projectId: string): Promise<ProjectRow> {
  if (!uuidPattern.test(projectId)) throw projectNotFound();
  const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!row || (row.ownerId !== user.id && user.role !== 'admin')) throw projectNotFound();
  return row;
}
