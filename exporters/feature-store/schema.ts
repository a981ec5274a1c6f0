/**
 * The feature store's tables in PostgreSQL, as the exporter reads them. A materialisation job
 * (the demo workload, demo/feature-workload.ts, or a real pipeline) writes them; the exporter
 * only reads. Identifiers are checked, not quoted blindly, because the schema name comes from
 * the environment.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema))
    throw new Error(`FEATURE_STORE_SCHEMA must be a lower-case SQL identifier, got "${schema}"`);
  return schema;
}

/** DDL a writer runs once; every statement is idempotent. */
export function schemaDdl(schema: string): string {
  const s = checkSchemaName(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
-- One row per feature view: how old its data may get (ttl) and when it was last materialised.
CREATE TABLE IF NOT EXISTS ${s}.feature_views (
  name text PRIMARY KEY,
  entity text NOT NULL,
  ttl_seconds integer NOT NULL CHECK (ttl_seconds > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_materialized_at timestamptz
);
-- One row per ingested batch: how many rows, and the newest event time they carry.
CREATE TABLE IF NOT EXISTS ${s}.ingestion_batches (
  id bigserial PRIMARY KEY,
  feature_view text NOT NULL REFERENCES ${s}.feature_views (name) ON DELETE CASCADE,
  row_count integer NOT NULL CHECK (row_count >= 0),
  max_event_time timestamptz NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ingestion_batches_view_time
  ON ${s}.ingestion_batches (feature_view, ingested_at DESC);
`;
}

/**
 * One row per feature view: freshness and lag are computed by PostgreSQL against its own clock,
 * so a skewed exporter clock cannot make a view look stale. A view never materialised counts
 * from its creation: it goes stale after its ttl like any other.
 */
export function viewsQuery(schema: string): string {
  const s = checkSchemaName(schema);
  return `
SELECT v.name,
       v.ttl_seconds,
       EXTRACT(EPOCH FROM now() - COALESCE(v.last_materialized_at, v.created_at))::float8 AS freshness_seconds,
       COALESCE(totals.rows_ingested, 0)::float8 AS rows_ingested,
       EXTRACT(EPOCH FROM latest.ingested_at - latest.max_event_time)::float8 AS lag_seconds
  FROM ${s}.feature_views v
  LEFT JOIN LATERAL (
    SELECT sum(b.row_count) AS rows_ingested FROM ${s}.ingestion_batches b WHERE b.feature_view = v.name
  ) totals ON true
  LEFT JOIN LATERAL (
    SELECT b.ingested_at, b.max_event_time FROM ${s}.ingestion_batches b
     WHERE b.feature_view = v.name ORDER BY b.ingested_at DESC LIMIT 1
  ) latest ON true
 ORDER BY v.name`;
}

export interface ViewRow {
  name: string;
  ttl_seconds: number;
  freshness_seconds: number;
  rows_ingested: number;
  lag_seconds: number | null;
}
