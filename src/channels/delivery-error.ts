/**
 * Thrown by adapters only. `retryable: false` fails the job at once (kept as failed with its
 * reason); `retryAfterMs` means "the vendor asked us to wait": the job is delayed without using up
 * an attempt. Anything else retryable goes through the queue's capped exponential backoff.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: { readonly retryable: boolean; readonly retryAfterMs?: number; readonly cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
