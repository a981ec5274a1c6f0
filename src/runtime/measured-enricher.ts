import type { Enricher } from '../enrichment/enrich-notification.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * The enrichment stage as the workers run it, timed and counted (the stage itself knows nothing
 * of metrics): how long live context takes, and how often notifications go out without it.
 * @example startWorkers({ ..., enrich: measuredEnricher(enrichment.enrich, metrics) })
 */
export function measuredEnricher(enrich: Enricher, metrics: Metrics): Enricher {
  for (const outcome of ['full', 'unavailable', 'failed']) metrics.enrichments.inc({ outcome }, 0);
  const measured = async (payload: Parameters<Enricher>[0]): ReturnType<Enricher> => {
    const end = metrics.enrichmentDuration.startTimer();
    try {
      const context = await enrich(payload);
      metrics.enrichments.inc({ outcome: context.available ? 'full' : 'unavailable' });
      return context;
    } catch (err) {
      metrics.enrichments.inc({ outcome: 'failed' });
      throw err;
    } finally {
      end();
    }
  };
  return Object.assign(measured, { plan: enrich.plan.bind(enrich) });
}
