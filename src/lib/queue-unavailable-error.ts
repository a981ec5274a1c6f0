/** Redis did not take the notification (down, or no confirmation in time): the sender should retry. */
export class QueueUnavailableError extends Error {
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}
