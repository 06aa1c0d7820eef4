import { type ErrorBody, type ErrorCode, errorStatus } from '@sitewright/contracts';
import { isConnectionError } from '@sitewright/db';
import { EngineError, type EngineErrorCode } from '@sitewright/engine';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** Unknown `/api/*` paths answer a JSON 404 rather than the dashboard's HTML. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/**
 * The one place errors become responses. AppErrors keep their code and message; body-parser errors
 * become 400/413; a lost database connection 503; anything else is a 500 whose details stay in the
 * log, never in the response.
 */
export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  const status = errorStatus[appError.code];
  if (status >= 500) req.log?.error({ err: error }, 'request failed');
  else req.log?.debug({ code: appError.code, message: appError.message }, 'request rejected');
  if (res.headersSent) {
    res.end();
    return;
  }
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  if (appError.details !== undefined && status < 500) body.error.details = appError.details;
  res.status(status).json(body);
};

/** The engine's refusals are the caller's problem, never a 500. */
const engineCodes: Record<EngineErrorCode, ErrorCode> = {
  not_found: 'not_found',
  invalid_transition: 'conflict',
  pending_not_open: 'conflict',
  conflict: 'conflict',
  lease_lost: 'conflict',
  invalid_answer: 'invalid_request',
  invalid_event: 'invalid_request',
  rule_violation: 'rule_violation',
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof EngineError) {
    return new AppError(engineCodes[error.code], error.message, error.details, { cause: error });
  }
  const httpError = error as { type?: string; status?: number; expose?: boolean; message?: string };
  const bodyParserCodes: Record<string, [ErrorCode, string]> = {
    'entity.parse.failed': ['invalid_request', 'The request body is not valid JSON.'],
    'entity.too.large': ['payload_too_large', 'The request body is too large.'],
    'encoding.unsupported': ['invalid_request', 'The request body encoding is not supported.'],
    'charset.unsupported': ['invalid_request', 'The request body charset is not supported.'],
  };
  const known = httpError.type ? bodyParserCodes[httpError.type] : undefined;
  if (known) return new AppError(known[0], known[1]);
  // A restart or failover of the database: the request may simply be repeated in a moment.
  if (isConnectionError(error)) {
    return new AppError('unavailable', 'The database is unavailable; try again in a moment.', undefined, {
      cause: error,
    });
  }
  // Errors from express's own middleware (static files, body-parser) that are safe to show.
  if (httpError.status === 404) return new AppError('not_found', 'Not found.');
  return new AppError('internal', 'Something went wrong on the server.', undefined, { cause: error });
}
