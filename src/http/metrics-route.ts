import { Router } from 'express';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';

/** A registry's metrics as `registry.getMetricsAsJSON()` gives them (what travels between processes). */
export type MetricsJSON = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * /metrics, refreshing sampled gauges (queue depth) just before each scrape. With `others` (ROLE=all's
 * worker process), their metrics and this process's are one answer, merged by prom-client's cluster
 * aggregation: counters and histograms summed, each metric's own `aggregator` otherwise.
 */
export function metricsRoute(
  metrics: Metrics,
  beforeScrape: () => Promise<void>,
  others?: () => Promise<readonly MetricsJSON[]>,
): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    await beforeScrape().catch(() => undefined); // Redis down: still serve process metrics
    if (!others) {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      return;
    }
    const [own, theirs] = await Promise.all([
      metrics.registry.getMetricsAsJSON(),
      others().catch(() => [] as MetricsJSON[]),
    ]);
    // 'omit' (the process start time) would drop this process's own series too: it stays, as theirs
    // were left out by whoever sent them.
    const mine = own.map((m) => (m.aggregator === 'omit' ? { ...m, aggregator: 'first' as const } : m));
    const merged = AggregatorRegistry.aggregate([mine, ...theirs]);
    res.type(merged.contentType).send(await merged.metrics());
  });
  return router;
}
