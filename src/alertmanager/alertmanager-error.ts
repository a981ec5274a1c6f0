/**
 * An Alertmanager API call that did not succeed. `retryable` is false only when Alertmanager
 * refused the request itself (HTTP 4xx: the same request will never be accepted).
 */
export class AlertmanagerError extends Error {
  readonly retryable: boolean;

  constructor(message: string, opts: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'AlertmanagerError';
    this.retryable = opts.retryable;
  }
}
