import { z } from 'zod';

export const UserRole = z.enum(['admin', 'user']);
export type UserRole = z.infer<typeof UserRole>;

/** Usernames are 3–64 of `a-z 0-9 . _ -`, compared and stored in lower case. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, { error: 'must be at least 3 characters' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[a-z0-9._-]+$/, { error: 'may contain only letters, digits, dot, underscore and hyphen' });
export type Username = z.infer<typeof Username>;

/** A password someone chooses: bcrypt reads at most 72 bytes, the cap only bounds the work per request. */
export const NewPassword = z
  .string()
  .min(8, { error: 'must be at least 8 characters' })
  .max(200, { error: 'must be at most 200 characters' });
export type NewPassword = z.infer<typeof NewPassword>;

/** `POST /api/auth/login`. Lenient on purpose: a malformed name simply does not match anyone. */
export const LoginRequest = z.object({
  username: z.string().trim().toLowerCase().min(1).max(200),
  password: z.string().min(1).max(1000),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** A user as the API shows it; never the password hash or token version. */
export const User = z.object({
  id: z.uuid(),
  username: z.string(),
  role: UserRole,
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

/** `POST /api/auth/login` and `POST /api/auth/refresh`: the signed-in user (the tokens travel as cookies). */
export const LoginResponse = z.object({ user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** `GET /api/auth/me` and `POST /api/auth/change-password`. */
export const MeResponse = z.object({ user: User });
export type MeResponse = z.infer<typeof MeResponse>;

/** `POST /api/auth/change-password`. */
export const ChangePasswordRequest = z.object({
  current: z.string().min(1).max(1000),
  next: NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** `POST /api/users` (admin). */
export const CreateUserRequest = z.object({
  username: Username,
  password: NewPassword,
  role: UserRole.default('user'),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** `POST /api/users` answers the created user. */
export const UserResponse = z.object({ user: User });
export type UserResponse = z.infer<typeof UserResponse>;

/** `GET /api/users` (admin). */
export const UserList = z.object({ users: z.array(User) });
export type UserList = z.infer<typeof UserList>;
