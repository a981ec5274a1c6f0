/**
 * A burst: this many webhooks answered at once. Alertmanager sends a group's notification at a
 * time, a handful of requests in flight; a storm of hundreds of new groups sends them together.
 * During a burst the workers take no new jobs: the webhooks' Redis writes and the API's CPU are
 * what Alertmanager waits for (10 s, then it retries, adding load), while the jobs wait in Redis
 * a moment longer. They go on once fewer than `endInFlight` are in flight for `quietMs`, and never
 * stand back longer than `maxPauseMs` at a time, so a steady flood cannot starve deliveries.
 */
export const BURST_DEFAULTS = {
  inFlight: 16,
  endInFlight: 4,
  quietMs: 200,
  maxPauseMs: 2000,
  /** After a pause that hit its limit, the workers run at least this long before the next one. */
  minRunMs: 1000,
};

/**
 * Turns the number of webhooks in flight into pause/resume calls for the workers (ROLE=all's
 * worker process): measured by bench/ingest-during-storm.ts, 1,000 groups in one second got
 * answers at p99 0.5-0.8 s with it against 1.1 s without (README, ROLE).
 * @example const burst = new BurstPause((paused) => child.send({ type: paused ? 'pause' : 'resume' })); burst.load(inFlight)
 */
export class BurstPause {
  private pausedAt: number | undefined;
  private noPauseBefore = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly set: (paused: boolean) => void,
    private readonly limits = BURST_DEFAULTS,
  ) {}

  load(inFlight: number): void {
    const { limits } = this;
    const now = Date.now();
    if (this.pausedAt === undefined) {
      if (inFlight < limits.inFlight || now < this.noPauseBefore) return;
      this.pausedAt = now;
      this.set(true);
      // The limit holds even if no request ends (a webhook stuck on a slow Redis).
      this.resumeIn(limits.maxPauseMs, true);
      return;
    }
    const left = limits.maxPauseMs - (now - this.pausedAt);
    if (inFlight < limits.endInFlight) this.resumeIn(Math.min(limits.quietMs, left), left <= limits.quietMs);
    // Still bursting: only the hard limit may end the pause now.
    else if (inFlight >= limits.inFlight) this.resumeIn(left, true);
  }

  /** Stops the timer (shutdown). */
  stop(): void {
    clearTimeout(this.timer);
  }

  private resumeIn(ms: number, hitLimit: boolean): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.resume(hitLimit), Math.max(0, ms));
    this.timer.unref();
  }

  private resume(hitLimit: boolean): void {
    if (this.pausedAt === undefined) return;
    this.pausedAt = undefined;
    if (hitLimit) this.noPauseBefore = Date.now() + this.limits.minRunMs;
    this.set(false);
  }
}
