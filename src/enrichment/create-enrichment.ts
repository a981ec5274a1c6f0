import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import type { LiveContext } from './live-context.js';
import type { RunbookStore } from '../runbooks/runbook.js';
import { createEnricher, type Enricher } from './enrich-notification.js';
import { createLiveContext } from './live-context-adapter.js';
import { createPrometheusClient } from './prometheus-client.js';
import { QueryCache } from './query-cache.js';

export interface Enrichment {
  readonly enrich: Enricher;
  /** For the runbook pages; undefined without PROMETHEUS_URL. */
  readonly live: LiveContext | undefined;
}

/**
 * One Prometheus client and one cache per process, shared by the notification worker, the preview
 * route and the runbook pages, so coalescing works across all of them.
 * @example const enrichment = createEnrichment(config, { logger, runbooks })
 */
export function createEnrichment(
  config: AppConfig,
  deps: { logger: Logger; runbooks?: Pick<RunbookStore, 'forAlert'> },
): Enrichment {
  const settings = config.file.enrichment;
  const client = config.prometheusUrl ? createPrometheusClient({ url: config.prometheusUrl }) : undefined;
  const cache = new QueryCache({ ttlMs: settings.cacheTtlMs });
  const enrich = createEnricher({
    client,
    cache,
    budgetMs: settings.budgetMs,
    maxAlerts: settings.maxAlerts,
    logger: deps.logger.child({ component: 'enrichment' }),
    ...(deps.runbooks ? { runbooks: deps.runbooks } : {}),
  });
  return {
    enrich,
    live: client ? createLiveContext(client, cache, { timeoutMs: settings.budgetMs }) : undefined,
  };
}
