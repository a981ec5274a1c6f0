/**
 * The notification itself cannot be stored (its JSON overflows the stack, or a string is longer
 * than the engine allows): a retry would fail the same way, so the sender must not retry.
 */
export class UnstorableNotificationError extends Error {
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options);
    this.name = 'UnstorableNotificationError';
  }
}
