/**
 * Why a Prometheus query gave no answer. `kind` is stable and safe to show to the on-call:
 * - `bad_request` (HTTP 400) and `unprocessable` (422): the query itself is wrong, retrying is useless;
 * - `unavailable` (503, or status:error with errorType timeout/canceled): Prometheus is overloaded;
 * - `timeout`: our own deadline passed; `network`: no connection; `malformed`: not a Prometheus answer.
 */
export type PrometheusErrorKind =
  'bad_request' | 'unprocessable' | 'unavailable' | 'timeout' | 'network' | 'malformed' | 'too_large';

export class PrometheusError extends Error {
  /** Prometheus' HTTP status, when it answered at all. */
  readonly status?: number;

  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    options: { readonly status?: number; readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PrometheusError';
    this.status = options.status;
  }
}
