import { HttpError } from './http-error.js';

export interface ErrorResponse {
  readonly error: HttpError;
  readonly headers: Record<string, string>;
  readonly body: { error: string; message: string; details?: unknown };
}

/**
 * How any failed request is answered, on the node:http webhook path and in express alike: the
 * status and JSON body of an HttpError (anything else is a 500), plus the headers that status
 * calls for.
 * @example const { error, headers, body } = errorResponse(err)
 */
export function errorResponse(err: unknown): ErrorResponse {
  const error =
    err instanceof HttpError
      ? err
      : new HttpError(500, 'internal', 'internal error', undefined, { cause: err });
  const headers: Record<string, string> = {};
  if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="alert-router"';
  // Alertmanager retries a 503; tell it not to hammer.
  if (error.status === 503) headers['retry-after'] = '1';
  // The rest of an oversize body is not read: the connection cannot be reused.
  if (error.status === 413) headers.connection = 'close';
  return {
    error,
    headers,
    body: { error: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}
