/**
 * Thrown by adapters only. `retryable: false` fails the job at once (kept as failed with its
 * reason); `retryAfterMs` means "the vendor asked us to wait": the job is delayed without using up
 * an attempt. Anything else retryable goes through the queue's exponential backoff.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
