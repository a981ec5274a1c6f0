/** An error with the HTTP status and machine-readable code the client should see. Thrown in http/ only. */
export class HttpError extends Error {
  readonly details?: unknown;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: { readonly details?: unknown; readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.details = options.details;
  }
}
