/**
 * The demo's feature pipeline: materialises three feature views into the PostgreSQL feature store
 * (exporters/feature-store/schema.ts) every few seconds, so the feature-store exporter has real
 * rows to read. A "stale" fault stops one view's materialisation and backdates its last one past
 * its ttl, so FeatureViewStale fires without waiting out the ttl.
 */
import pg from 'pg';
import { schemaDdl, checkSchemaName } from '../exporters/feature-store/schema.js';

export const DEMO_VIEWS = [
  { name: 'driver_hourly_stats', entity: 'driver', ttlSeconds: 600 },
  { name: 'customer_profile', entity: 'customer', ttlSeconds: 3600 },
  { name: 'transaction_aggregates', entity: 'account', ttlSeconds: 900 },
] as const;

export interface FeatureWorkloadOptions {
  databaseUrl: string;
  schema?: string;
  intervalMs?: number;
  views?: ReadonlyArray<{ name: string; entity: string; ttlSeconds: number }>;
}

export class FeatureWorkload {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly views: ReadonlyArray<{ name: string; entity: string; ttlSeconds: number }>;
  private timer: NodeJS.Timeout | undefined;
  private readonly stale = new Set<string>();
  private ready = false;
  lastError: string | undefined;

  constructor(private readonly options: FeatureWorkloadOptions) {
    this.schema = checkSchemaName(options.schema ?? 'feature_store');
    this.views = options.views ?? DEMO_VIEWS;
    this.pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 2,
      application_name: 'demo-feature-workload',
    });
    this.pool.on('error', () => undefined);
  }

  viewNames(): string[] {
    return this.views.map((v) => v.name);
  }

  staleViews(): string[] {
    return [...this.stale].sort();
  }

  /**
   * Materialises now and then on a timer. Never throws: until PostgreSQL answers, each tick tries
   * again to create the tables, and `lastError` says why it could not.
   */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 5000);
  }

  private async tick(): Promise<void> {
    try {
      if (!this.ready) {
        await this.createTables();
        this.ready = true;
      }
      await this.materialiseAll();
      this.lastError = undefined;
    } catch (err) {
      this.lastError = (err as Error).message;
    }
  }

  /** The tables and the views (ttl as configured). */
  private async createTables(): Promise<void> {
    await this.pool.query(schemaDdl(this.schema));
    for (const view of this.views) {
      await this.pool.query(
        `INSERT INTO ${this.schema}.feature_views (name, entity, ttl_seconds) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET entity = EXCLUDED.entity, ttl_seconds = EXCLUDED.ttl_seconds`,
        [view.name, view.entity, view.ttlSeconds],
      );
    }
  }

  private async materialiseAll(): Promise<void> {
    for (const view of this.views) {
      if (this.stale.has(view.name)) continue;
      // Events of the last interval, landing a few seconds after they happened.
      const lagSeconds = 2 + Math.random() * 3;
      const rows = 50 + Math.floor(Math.random() * 100);
      await this.pool.query(
        `WITH batch AS (
           INSERT INTO ${this.schema}.ingestion_batches (feature_view, row_count, max_event_time)
           VALUES ($1, $2, now() - make_interval(secs => $3)) RETURNING ingested_at)
         UPDATE ${this.schema}.feature_views SET last_materialized_at = (SELECT ingested_at FROM batch) WHERE name = $1`,
        [view.name, rows, lagSeconds],
      );
    }
  }

  /** Stops materialising the view and backdates its last run past its ttl. */
  async makeStale(name: string): Promise<void> {
    const view = this.views.find((v) => v.name === name);
    if (!view) throw new Error(`unknown feature view "${name}" (known: ${this.viewNames().join(', ')})`);
    this.stale.add(name);
    await this.pool.query(
      `UPDATE ${this.schema}.feature_views SET last_materialized_at = now() - make_interval(secs => $2) WHERE name = $1`,
      [name, view.ttlSeconds + 60],
    );
  }

  async clearStale(): Promise<void> {
    this.stale.clear();
    await this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pool.end();
  }
}
