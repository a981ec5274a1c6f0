import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Metrics } from './metrics.js';

/** A registry's metrics as `registry.getMetricsAsJSON()` gives them (what travels between processes). */
export type MetricsJSON = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * This process's metrics, and with `others` (ROLE=all's worker process) theirs too, as one
 * registry, merged by prom-client's cluster aggregation: counters and histograms summed, each
 * metric's own `aggregator` otherwise. What /metrics serves and the status page reads.
 * @example const registry = await mergedMetrics(metrics, () => workers.metrics())
 */
export async function mergedMetrics(
  metrics: Metrics,
  others?: () => Promise<readonly MetricsJSON[]>,
): Promise<Registry> {
  if (!others) return metrics.registry;
  const [own, theirs] = await Promise.all([
    metrics.registry.getMetricsAsJSON(),
    others().catch(() => [] as MetricsJSON[]),
  ]);
  // 'omit' (the process start time) would drop this process's own series too: it stays, as theirs
  // were left out by whoever sent them.
  const mine = own.map((m) => (m.aggregator === 'omit' ? { ...m, aggregator: 'first' as const } : m));
  return AggregatorRegistry.aggregate([mine, ...theirs]);
}
