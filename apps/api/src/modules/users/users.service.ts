/** User accounts: the admin's list, create and delete. Passwords are stored only as bcrypt hashes. */
import type { CreateUserRequest, User } from '@sitewright/contracts';
import { type Db, users } from '@sitewright/db';
import { asc, eq } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { hashPassword } from '../auth/passwords.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns a User DTO is made of: never the hash or the token version. */
export const userColumns = {
  id: users.id,
  username: users.username,
  role: users.role,
  createdAt: users.createdAt,
};

export function toUser(row: { id: string; username: string; role: User['role']; createdAt: Date }): User {
  return { id: row.id, username: row.username, role: row.role, createdAt: row.createdAt.toISOString() };
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.select(userColumns).from(users).orderBy(asc(users.createdAt), asc(users.username));
  return rows.map(toUser);
}

/** A user by id, or null (also for ids that are not UUIDs). */
export async function findUser(db: Db, id: string): Promise<User | null> {
  if (!uuidPattern.test(id)) return null;
  const [row] = await db.select(userColumns).from(users).where(eq(users.id, id));
  return row ? toUser(row) : null;
}

/** Creates a user; 409 when the name is taken (the unique index decides, so concurrent creates are safe). */
export async function createUser(
  db: Db,
  input: CreateUserRequest,
  options: { bcryptRounds: number },
): Promise<User> {
  const passwordHash = await hashPassword(input.password, options.bcryptRounds);
  const [row] = await db
    .insert(users)
    .values({ username: input.username, passwordHash, role: input.role })
    .onConflictDoNothing({ target: users.username })
    .returning(userColumns);
  if (!row) throw new AppError('conflict', `A user named "${input.username}" already exists.`);
  return toUser(row);
}

/**
 * Deletes a user with their sessions and projects (the foreign keys cascade). Admins cannot delete
 * themselves, which also guarantees at least one admin remains.
 */
export async function deleteUser(db: Db, actor: { id: string }, userId: string): Promise<void> {
  if (userId === actor.id) throw new AppError('rule_violation', 'You cannot delete your own account.');
  if (!uuidPattern.test(userId)) throw new AppError('not_found', 'There is no such user.');
  const deleted = await db.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
  if (deleted.length === 0) throw new AppError('not_found', 'There is no such user.');
}
