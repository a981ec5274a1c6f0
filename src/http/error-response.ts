import { HeartbeatUnavailableError } from '../deadman/heartbeat-unavailable-error.js';
import { QueueUnavailableError } from '../lib/queue-unavailable-error.js';
import { UnstorableNotificationError } from '../queue/unstorable-notification-error.js';
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
  const error = asHttpError(err);
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

/**
 * The one place where the errors of the other layers become HTTP statuses: 503 (Alertmanager
 * retries) when Redis did not take the write, 400 (it gives up) when the data can never be stored.
 */
function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof QueueUnavailableError)
    return new HttpError(503, 'queue_unavailable', err.message, { cause: err });
  if (err instanceof HeartbeatUnavailableError)
    return new HttpError(503, 'heartbeat_unavailable', err.message, { cause: err });
  if (err instanceof UnstorableNotificationError)
    return new HttpError(400, 'invalid_payload', err.message, { cause: err });
  return new HttpError(500, 'internal', 'internal error', { cause: err });
}
