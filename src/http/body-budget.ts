/**
 * Bytes of request bodies being read at once, across all connections: a few stalled 10 MB bodies
 * must not be able to hold hundreds of MB. A request that would go past it is answered 503 (the
 * sender retries, and by then the stalled ones have hit the request timeout).
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` if they fit; false (and nothing taken) if they do not. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
