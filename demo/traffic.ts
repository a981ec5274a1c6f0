import type { FaultState } from './fault-state.js';
import { type DemoMetrics, SERVICE } from './metrics.js';
import { MODELS, recordRequest, simulateRequest } from './simulate.js';

export interface TrafficOptions {
  /** Simulated requests per second; 20 gives rate() windows enough samples to be stable. */
  requestsPerSecond: number;
  tickMs?: number;
}

/**
 * Synthetic steady traffic, generated in-process: no sockets, so the demo's own /metrics
 * load and the load test never compete with it, and alert timing does not depend on host load.
 */
export class TrafficGenerator {
  private timer: NodeJS.Timeout | undefined;
  // Carries fractional requests between ticks so 20 req/s at 100 ms ticks is exactly 2 per tick.
  private owed = 0;

  constructor(
    private readonly metrics: DemoMetrics,
    private readonly faults: FaultState,
    private readonly options: TrafficOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    for (const model of MODELS) {
      this.metrics.modelMemory.set({ service: SERVICE, model: model.name }, model.memoryBytes);
    }
    // Initialise every status_code series the rules divide by, so the ratio exists from the
    // first scrape instead of appearing (and looking like a rate spike) on the first error.
    const http = { service: SERVICE, endpoint: '/predict', method: 'POST' };
    for (const code of ['200', '500', '503'])
      this.metrics.httpRequests.inc({ ...http, status_code: code }, 0);
    for (const model of MODELS) {
      for (const status of ['success', 'error']) {
        this.metrics.inferenceRequests.inc({ service: SERVICE, model: model.name, status }, 0);
      }
    }
    const tickMs = this.options.tickMs ?? 100;
    this.timer = setInterval(() => this.tick(tickMs / 1000), tickMs);
    // The generator must never be what keeps a test process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Simulates `seconds` worth of traffic at once; exported for deterministic tests. */
  tick(seconds: number): void {
    this.owed += this.options.requestsPerSecond * seconds;
    const fault = this.faults.current();
    let latencySum = 0;
    let count = 0;
    for (; this.owed >= 1; this.owed -= 1, count += 1) {
      const request = simulateRequest(fault);
      recordRequest(this.metrics, request);
      latencySum += request.latencySeconds;
    }
    // Little's law: requests in flight = arrival rate x mean latency, so injected latency
    // visibly backs the queue up just as it would in a real gateway.
    const meanLatency = count > 0 ? latencySum / count : 0;
    this.metrics.queueDepth.set(
      { service: SERVICE },
      Math.round(this.options.requestsPerSecond * meanLatency),
    );
  }
}
