import { ErrorCode } from '@slack/web-api';
import { DeliveryError } from '../delivery-error.js';

// ok:false errors that are Slack's own trouble, worth retrying; every other one (channel_not_found,
// invalid_auth, msg_too_long, ...) will fail the same way next time.
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Sorts a @slack/web-api error into retry-after, retry with backoff, or fail now. */
export function classifySlackError(err: unknown): DeliveryError {
  const e = err as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
    statusCode?: number;
    message?: string;
  };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError(`slack rate limited (retry after ${e.retryAfter ?? 1}s)`, {
        retryable: true,
        retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000,
        cause: err,
      });
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return new DeliveryError(`slack error: ${code}`, { retryable: TRANSIENT.has(code), cause: err });
    }
    case ErrorCode.HTTPError:
      return new DeliveryError(`slack http ${e.statusCode ?? '?'}`, {
        retryable: (e.statusCode ?? 500) >= 500,
        cause: err,
      });
    default:
      // RequestError (network), timeouts, aborts: the message may not have gone out; try again.
      return new DeliveryError(`slack request failed: ${e.message ?? String(err)}`, {
        retryable: true,
        cause: err,
      });
  }
}

/**
 * One Slack Web API call, stopped before it starts when `signal` has aborted (a lost group lease:
 * someone else may be changing the message now), its failure sorted by classifySlackError.
 * @example await callSlack(() => client.chat.update({ channel, ts, text }), signal)
 */
export async function callSlack<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    const why = signal.reason instanceof Error ? signal.reason.message : 'aborted';
    throw new DeliveryError(why, { retryable: true });
  }
  try {
    return await fn();
  } catch (err) {
    throw classifySlackError(err);
  }
}
