/**
 * The three series an exporter keeps about reading its source (`<prefix>_up`,
 * `<prefix>_scrape_errors_total`, `<prefix>_scrape_duration_seconds`), and the wrapper that keeps
 * them: a read that throws is counted and logged on stderr, and the scrape still answers with the
 * last good figures (https://prometheus.io/docs/instrumenting/writing_exporters/#failed-scrapes).
 *
 * @example const tracked = trackReads(registry, { prefix: 'feature_store', source: 'the feature store', logName: 'feature-store-exporter' });
 *          serveMetrics({ port, registry, refresh: () => tracked(readStore) });
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ReadTracking {
  /** Metric name prefix, e.g. `feature_store`. */
  prefix: string;
  /** What is read, for the help texts: "the feature store". */
  source: string;
  /** Names the exporter in its log lines. */
  logName: string;
}

export function trackReads(
  registry: Registry,
  { prefix, source, logName }: ReadTracking,
): (read: () => Promise<void>) => Promise<void> {
  const up = new Gauge({
    name: `${prefix}_up`,
    help: `1 if the last read of ${source} succeeded, 0 if it failed.`,
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}_scrape_errors_total`,
    help: `Reads of ${source} that failed.`,
    registers: [registry],
  });
  const duration = new Gauge({
    name: `${prefix}_scrape_duration_seconds`,
    help: `How long the last read of ${source} took.`,
    registers: [registry],
  });
  errors.inc(0);
  return async (read) => {
    const started = performance.now();
    try {
      await read();
      up.set(1);
    } catch (err) {
      up.set(0);
      errors.inc();
      // The sources' clients name the table, the URL path or the connection problem, never a password.
      process.stderr.write(`${logName}: read failed: ${(err as Error).message}\n`);
    } finally {
      duration.set((performance.now() - started) / 1000);
    }
  };
}
