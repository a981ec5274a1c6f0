/**
 * Feature-store exporter (port 9101): per feature view, how stale it is, how many rows were
 * ingested, and how far behind its events the latest batch landed, read from the PostgreSQL
 * tables in ./schema.ts on every scrape.
 *
 *   FEATURE_STORE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node --import tsx exporters/feature-store/main.ts
 */
import pg from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import { serveMetrics, type RunningExporter } from '../lib/serve-metrics.js';
import { trackReads } from '../lib/track-reads.js';
import { checkSchemaName, viewsQuery, type ViewRow } from './schema.js';

export interface FeatureStoreOptions {
  port: number;
  host?: string;
  /** libpq connection string; its password is never printed. */
  databaseUrl: string;
  schema?: string;
  /** A scrape that waits longer than this counts as an error (Prometheus' timeout is 30 s). */
  queryTimeoutMs?: number;
}

/**
 * @example const exporter = await startFeatureStoreExporter({ port: 9101, databaseUrl: 'postgresql://postgres@127.0.0.1/postgres' });
 */
export async function startFeatureStoreExporter(options: FeatureStoreOptions): Promise<RunningExporter> {
  const schema = checkSchemaName(options.schema ?? 'feature_store');
  const timeout = options.queryTimeoutMs ?? 10_000;
  // A pool of one: scrapes are serialised by serveMetrics, and a store must not be loaded by its monitor.
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 1,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    application_name: 'feature-store-exporter',
  });
  // An idle connection the server drops must not crash the exporter; the next scrape reconnects.
  pool.on('error', () => undefined);

  const registry = new Registry();
  const labelNames = ['feature_view'] as const;
  const freshness = new Gauge({
    name: 'feature_store_feature_view_freshness_seconds',
    help: 'Seconds since the feature view was last materialised (since its creation if never).',
    labelNames,
    registers: [registry],
  });
  const ttl = new Gauge({
    name: 'feature_store_feature_view_ttl_seconds',
    help: 'How old the feature view may get before it is stale (its ttl).',
    labelNames,
    registers: [registry],
  });
  const rows = new Counter({
    name: 'feature_store_rows_ingested_total',
    help: 'Rows ingested into the feature view, over all batches.',
    labelNames,
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'feature_store_ingestion_lag_seconds',
    help: 'Latest batch: seconds between its newest event and its ingestion.',
    labelNames,
    registers: [registry],
  });
  const views = new Gauge({
    name: 'feature_store_feature_views',
    help: 'Feature views in the store.',
    registers: [registry],
  });
  const tracked = trackReads(registry, {
    prefix: 'feature_store',
    source: 'the feature store',
    logName: 'feature-store-exporter',
  });

  const read = async (): Promise<void> => {
    const result = await pool.query<ViewRow>(viewsQuery(schema));
    // Views deleted from the store disappear from the metrics too.
    for (const metric of [freshness, ttl, rows, lag]) metric.reset();
    for (const row of result.rows) {
      const labels = { feature_view: row.name };
      freshness.set(labels, Math.max(0, row.freshness_seconds));
      ttl.set(labels, row.ttl_seconds);
      rows.inc(labels, row.rows_ingested);
      if (row.lag_seconds !== null) lag.set(labels, Math.max(0, row.lag_seconds));
    }
    views.set(result.rows.length);
  };

  const served = await serveMetrics({
    port: options.port,
    host: options.host,
    registry,
    refresh: () => tracked(read),
  });
  return {
    url: served.url,
    close: async () => {
      await served.close();
      await pool.end();
    },
  };
}
