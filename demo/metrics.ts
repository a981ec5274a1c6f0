import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The `service` label every demo series carries; the SLO rules select on it. */
export const SERVICE = 'inference-gateway';

/**
 * Every metric the alert rules query, on a registry of the demo's own so it never mixes with
 * alert-router's default registry when both run in one process (tests).
 *
 * @example
 * const metrics = createDemoMetrics(new Registry());
 * metrics.httpRequests.inc({ service: SERVICE, endpoint: '/predict', method: 'POST', status_code: '200' });
 */
export function createDemoMetrics(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled by the gateway.',
      labelNames: ['service', 'endpoint', 'method', 'status_code'] as const,
      registers,
    }),
    // 0.3 must be a bucket boundary: the latency SLI is `le="0.3"` over `_count`.
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency.',
      labelNames: ['service', 'endpoint', 'method'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    inferenceRequests: new Counter({
      name: 'inference_requests_total',
      help: 'Model inferences by outcome.',
      labelNames: ['service', 'model', 'status'] as const,
      registers,
    }),
    inferenceDuration: new Histogram({
      name: 'inference_duration_seconds',
      help: 'Time spent in the model itself.',
      labelNames: ['service', 'model'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5],
      registers,
    }),
    // A histogram (not a gauge) because the recording rule takes le="0.7"/le="1.0" ratios.
    confidence: new Histogram({
      name: 'inference_confidence_score',
      help: 'Top-1 confidence of each prediction.',
      labelNames: ['service', 'model'] as const,
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'inference_queue_depth',
      help: 'Requests waiting for a model worker.',
      labelNames: ['service'] as const,
      registers,
    }),
    modelMemory: new Gauge({
      name: 'model_memory_bytes',
      help: 'Resident memory of each loaded model.',
      labelNames: ['service', 'model'] as const,
      registers,
    }),
  };
}

export type DemoMetrics = ReturnType<typeof createDemoMetrics>;
