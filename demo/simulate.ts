import type { Fault } from './fault-state.js';
import { type DemoMetrics, SERVICE } from './metrics.js';

/** Models the gateway serves, with the memory each one pins (what model_memory_bytes reports). */
export const MODELS = [
  { name: 'resnet50', memoryBytes: 2.1e9, baseLatencyS: 0.06 },
  { name: 'bert-base', memoryBytes: 1.4e9, baseLatencyS: 0.09 },
] as const;

/** A healthy gateway still fails now and then; 0.1% keeps availability SLO alerts silent. */
export const BASELINE_ERROR_RATE = 0.001;

export interface SimulatedRequest {
  model: string;
  statusCode: number;
  /** Total request latency, the model's share plus gateway overhead plus injected latency. */
  latencySeconds: number;
  confidence: number;
}

/**
 * Decides the outcome of one request: pure apart from `random`, so tests can pin it.
 *
 * @example simulateRequest({ errorRate: 1, latencyMs: 0 }).statusCode >= 500 // true
 */
export function simulateRequest(fault: Fault, random: () => number = Math.random): SimulatedRequest {
  const model = MODELS[Math.floor(random() * MODELS.length)] ?? MODELS[0];
  // Exponential jitter around the model's base latency: most requests land well under the
  // 0.3 s SLO threshold, with a thin natural tail (~0.3% above it) so the latency SLI is not 100%.
  const jitter = -Math.log(1 - random()) * model.baseLatencyS * 0.4;
  const latencySeconds = model.baseLatencyS + jitter + 0.005 + fault.latencyMs / 1000;
  const errorRate = Math.max(BASELINE_ERROR_RATE, fault.errorRate);
  const failed = random() < errorRate;
  // Mostly 500s with some 503s, as a crashing model worker and an overloaded pool would produce.
  const statusCode = failed ? (random() < 0.8 ? 500 : 503) : 200;
  // Skewed towards 1: ~84% of predictions above 0.7, matching the "normally more than 80 %"
  // baseline ModelConfidenceLow assumes (it fires below 70 %).
  const confidence = 1 - 0.5 * random() ** 3;
  return { model: model.name, statusCode, latencySeconds, confidence };
}

/** Writes one simulated request into every metric the rules read. */
export function recordRequest(metrics: DemoMetrics, request: SimulatedRequest): void {
  const http = { service: SERVICE, endpoint: '/predict', method: 'POST' };
  metrics.httpRequests.inc({ ...http, status_code: String(request.statusCode) });
  metrics.httpDuration.observe(http, request.latencySeconds);
  const model = { service: SERVICE, model: request.model };
  const ok = request.statusCode < 500;
  metrics.inferenceRequests.inc({ ...model, status: ok ? 'success' : 'error' });
  if (ok) {
    metrics.inferenceDuration.observe(model, Math.max(0, request.latencySeconds - 0.005));
    metrics.confidence.observe(model, request.confidence);
  }
}
