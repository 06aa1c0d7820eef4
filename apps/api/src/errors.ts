import type { ErrorCode } from '@sitewright/contracts';

/** The one error type services throw; the error middleware maps `code` to a status and body. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
