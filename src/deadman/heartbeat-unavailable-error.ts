/** Redis did not record a heartbeat in time: Alertmanager should send it again. */
export class HeartbeatUnavailableError extends Error {
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options);
    this.name = 'HeartbeatUnavailableError';
  }
}
