import type { Logger } from 'pino';
import type { LiveContext } from './live-context.js';
import type { RunbookStore } from '../runbooks/runbook.js';
import { createEnricher, type Enricher } from './enrich-notification.js';
import { createLiveContext } from './live-context-adapter.js';
import { createPrometheusClient } from './prometheus-client.js';
import { QueryCache } from './query-cache.js';

/** Where live context comes from and how much of it (the `enrichment:` section, PROMETHEUS_URL). */
export interface EnrichmentSettings {
  /** Without it every notification goes out without live context. */
  readonly prometheusUrl: string | undefined;
  readonly budgetMs: number;
  readonly maxAlerts: number;
  readonly cacheTtlMs: number;
}

export interface Enrichment {
  readonly enrich: Enricher;
  /** For the runbook pages; undefined without PROMETHEUS_URL. */
  readonly live: LiveContext | undefined;
}

/**
 * One Prometheus client and one cache per process, shared by the notification worker, the preview
 * route and the runbook pages, so coalescing works across all of them.
 * @example const enrichment = createEnrichment({ prometheusUrl, ...file.enrichment }, { logger, runbooks })
 */
export function createEnrichment(
  settings: EnrichmentSettings,
  deps: {
    logger: Logger;
    runbooks?: Pick<RunbookStore, 'forAlert'>;
    /** Told of each Prometheus query: served by the cache (or a request in flight), or sent. */
    onCacheLookup?: (hit: boolean) => void;
  },
): Enrichment {
  const client = settings.prometheusUrl ? createPrometheusClient({ url: settings.prometheusUrl }) : undefined;
  const cache = new QueryCache({
    ttlMs: settings.cacheTtlMs,
    ...(deps.onCacheLookup ? { onLookup: deps.onCacheLookup } : {}),
  });
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
