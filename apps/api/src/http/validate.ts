/** Input parsing for routes: a failed zod parse becomes a 400 that names each bad field. */
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 3)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
  throw new AppError('invalid_request', `The ${what} is invalid: ${summary}`, { issues });
}
