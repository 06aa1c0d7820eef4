import { ErrorBody, type ErrorCode } from '@sitewright/contracts';
import { z } from 'zod';

/**
 * What went wrong, as a code the UI can branch on: one of the API's error codes, or a client-side one
 * when no usable answer arrived (`network_error`: the server could not be reached; `invalid_response`:
 * it answered with something that is not the contract, e.g. a proxy's HTML error page).
 */
export type ApiErrorCode = ErrorCode | 'network_error' | 'invalid_response';

/**
 * The one error the API client throws; `status` is 0 when no HTTP response arrived. `details` is the
 * error body's `details` as sent (e.g. `{fields: {chat: '…'}}` naming the fields a 400 refused).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly details: unknown;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number,
    options?: ErrorOptions & { details?: unknown },
  ) {
    super(message, options);
    this.details = options?.details;
  }
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Also accept a non-2xx response whose body parses with the schema. For endpoints such as health
   * whose failure report is itself the data (503 with `status: 'error'`).
   */
  acceptErrorStatusData?: boolean;
}

/** Listeners told when the session is over (a refresh failed): the app shows the sign-in page. */
const sessionEndedListeners = new Set<() => void>();

export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

let refreshing: Promise<boolean> | null = null;

/**
 * Rotates the session once for every request that found its access token expired at the same time
 * (single flight): the refresh token may be used only once, a second concurrent use counts as reuse.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/auth/refresh', { method: 'POST', credentials: 'include' })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => {
        refreshing = null;
      }, 0);
    });
  return refreshing;
}

/**
 * Calls the API with cookies and JSON, parses the answer with `schema`, and throws ApiError otherwise.
 * An expired access token is refreshed once and the request repeated, so a page left open keeps working.
 */
export async function requestApi<T>(
  path: string,
  schema: z.ZodType<T>,
  options: ApiRequestOptions = {},
): Promise<T> {
  try {
    return await requestOnce(path, schema, options);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || path.startsWith('/api/auth/')) throw error;
    if (!(await refreshSession())) {
      for (const listener of sessionEndedListeners) listener();
      throw error;
    }
    return requestOnce(path, schema, options);
  }
}

/** A request whose success has no body (204). */
export async function requestNoContent(path: string, options: ApiRequestOptions = {}): Promise<void> {
  await requestApi(path, z.unknown(), options);
}

async function requestOnce<T>(path: string, schema: z.ZodType<T>, options: ApiRequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal ?? null,
    });
  } catch (cause) {
    // An abort is TanStack Query cancelling the request, not a failure to report.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('network_error', 'Could not reach the Sitewright server.', 0, { cause });
  }

  const body = await readJson(response);
  if (response.ok || options.acceptErrorStatusData) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    if (response.ok) {
      throw new ApiError(
        'invalid_response',
        'The server sent an answer this page does not understand.',
        response.status,
        { cause: parsed.error },
      );
    }
  }
  throw errorFromResponse(response, body);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFromResponse(response: Response, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(code, message, response.status, { details });
  }
  // No error body: typically a proxy or gateway answering because the server itself is down.
  const message =
    response.status >= 500
      ? `The Sitewright server is unavailable (HTTP ${response.status}).`
      : `The request failed (HTTP ${response.status}).`;
  return new ApiError('invalid_response', message, response.status);
}
