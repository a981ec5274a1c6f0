import { Router } from 'express';
import type { Metrics } from '../metrics/metrics.js';

/** /metrics, refreshing sampled gauges (queue depth) just before each scrape. */
export function metricsRoute(metrics: Metrics, beforeScrape: () => Promise<void>): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    await beforeScrape().catch(() => undefined); // Redis down: still serve process metrics
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
