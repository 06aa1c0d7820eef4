import { z } from 'zod';

/**
 * Every error the API can answer with. The code is the contract; the HTTP status follows from it and
 * the message is for people.
 */
export const ErrorCode = z.enum([
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rule_violation',
  'rate_limited',
  'payload_too_large',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The HTTP status each error code maps to (SPEC §6). */
export const errorStatus: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rule_violation: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The body of every error response: `{ error: { code, message, details? } }`. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
