/**
 * The seed's exporters against real sources: the feature-store exporter on the machine's
 * PostgreSQL (its own schema, dropped afterwards) written by the demo pipeline; the
 * model-registry exporter on the demo's MLflow REST subset (paged) and on registries that fail;
 * the GPU exporter running a stand-in nvidia-smi that prints recorded real output, and the
 * states of a node without a GPU.
 *
 *   node --import tsx --test test/integration/exporters.test.ts
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startMlPlatform, type RunningMlPlatform } from '../../demo/ml-platform.js';
import { startFeatureStoreExporter } from '../../exporters/feature-store/exporter.js';
import { startGpuExporter } from '../../exporters/gpu/exporter.js';
import type { RunningExporter } from '../../exporters/lib/serve-metrics.js';
import { startModelRegistryExporter } from '../../exporters/model-registry/exporter.js';
import { listen } from '../../src/lib/listen.js';
import { freePort } from '../../support/free-port.js';
import { waitFor } from '../../support/wait.js';
import { dropSchema, TEST_DATABASE_URL } from '../helpers/pg-schema.js';
import { sample, scrape } from '../helpers/scrape.js';

const DATABASE_URL = TEST_DATABASE_URL;
const SCHEMA = `fs_test_${process.pid}_${Date.now() % 100_000}`;
const RECORDED = join(import.meta.dirname, '../../exporters/gpu/recorded/h100-load.csv');
const VIEWS = [
  { name: 'driver_hourly_stats', entity: 'driver', ttlSeconds: 600 },
  { name: 'customer_profile', entity: 'customer', ttlSeconds: 3600 },
];

const dir = mkdtempSync(join(tmpdir(), 'exporters-'));
const closing: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];
const keep = <T extends { close(): Promise<void> } | { stop(): Promise<void> }>(x: T): T => {
  closing.push(x);
  return x;
};
after(async () => {
  for (const x of closing.reverse()) await ('close' in x ? x.close() : x.stop());
  await dropSchema(SCHEMA);
  rmSync(dir, { recursive: true, force: true });
});

void describe('feature-store exporter on PostgreSQL', () => {
  let demo: RunningMlPlatform;
  let exporter: RunningExporter;
  before(async () => {
    demo = keep(
      await startMlPlatform({
        port: 0,
        databaseUrl: DATABASE_URL,
        schema: SCHEMA,
        views: VIEWS,
        materializeIntervalMs: 200,
      }),
    );
    exporter = keep(await startFeatureStoreExporter({ port: 0, databaseUrl: DATABASE_URL, schema: SCHEMA }));
  });

  void it('exports freshness, ttl, rows ingested and lag per view from the rows the pipeline wrote', async () => {
    const first = await scrape(exporter.url);
    assert.equal(sample(first, 'feature_store_up'), 1);
    assert.equal(sample(first, 'feature_store_feature_views'), 2);
    assert.equal(
      sample(first, 'feature_store_feature_view_ttl_seconds{feature_view="driver_hourly_stats"}'),
      600,
    );
    assert.ok(
      sample(first, 'feature_store_feature_view_freshness_seconds{feature_view="driver_hourly_stats"}') < 5,
    );
    // The pipeline lands events 2-5 s after they happen.
    const lag = sample(first, 'feature_store_ingestion_lag_seconds{feature_view="customer_profile"}');
    assert.ok(lag >= 2 && lag <= 5.5, `lag ${lag}`);
    const rows = sample(first, 'feature_store_rows_ingested_total{feature_view="customer_profile"}');
    const grown = await waitFor(
      async () =>
        sample(
          await scrape(exporter.url),
          'feature_store_rows_ingested_total{feature_view="customer_profile"}',
        ) > rows,
      'rows ingested to grow',
    );
    assert.ok(grown);
    // Checked against the table itself, not only against the exporter's own numbers.
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const {
      rows: [total],
    } = await client.query<{ n: string }>(
      `SELECT sum(row_count) AS n FROM ${SCHEMA}.ingestion_batches WHERE feature_view = 'customer_profile'`,
    );
    await client.end();
    assert.ok(Number(total?.n) >= rows);
  });

  void it('a stale fault makes one view older than its ttl, and clearing it makes it fresh', async () => {
    const res = await fetch(`${demo.url}/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staleFeatureView: 'driver_hourly_stats' }),
    });
    assert.equal(res.status, 200);
    const stale = await scrape(exporter.url);
    assert.ok(
      sample(stale, 'feature_store_feature_view_freshness_seconds{feature_view="driver_hourly_stats"}') > 600,
    );
    assert.ok(
      sample(stale, 'feature_store_feature_view_freshness_seconds{feature_view="customer_profile"}') < 5,
    );
    assert.equal((await fetch(`${demo.url}/fault`, { method: 'DELETE' })).status, 200);
    const fresh = await scrape(exporter.url);
    assert.ok(
      sample(fresh, 'feature_store_feature_view_freshness_seconds{feature_view="driver_hourly_stats"}') < 5,
    );
  });

  void it('refuses faults it cannot carry out, listing every problem, and changes nothing', async () => {
    const res = await fetch(`${demo.url}/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staleFeatureView: 'no_such_view', gpuTemperature: 'hot', extra: 1 }),
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { problems: string[] };
    assert.deepEqual(body.problems, [
      'unknown field "extra"',
      'staleFeatureView must be one of driver_hourly_stats, customer_profile',
      'gpuTemperature must be a number in [0, 130]',
    ]);
    const status = (await (await fetch(`${demo.url}/fault`)).json()) as { staleFeatureViews: string[] };
    assert.deepEqual(status.staleFeatureViews, []);
  });

  void it('the slow-query fault runs a query on the server, and clearing it ends it there too', async () => {
    const running = async (): Promise<number> => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'demo-slow-query' AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      await client.end();
      return rows[0]?.n ?? 0;
    };
    // A demo stack on this machine may run its own slow query: count ours on top of it.
    const before = await running();
    const post = await fetch(`${demo.url}/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"slowQuery":true}',
    });
    assert.equal(post.status, 200);
    await waitFor(async () => (await running()) === before + 1, 'the slow query to run');
    assert.equal((await fetch(`${demo.url}/fault`, { method: 'DELETE' })).status, 200);
    // Closing the client alone would leave pg_sleep running on the server for its hour.
    await waitFor(async () => (await running()) === before, 'the slow query to end on the server', 5_000);
  });

  void it('a schema without the tables is feature_store_up 0 and a counted error, not a failed scrape', async () => {
    const missing = keep(
      await startFeatureStoreExporter({ port: 0, databaseUrl: DATABASE_URL, schema: 'no_such_schema_here' }),
    );
    const [metrics, stderr] = await withStderr(() => scrape(missing.url));
    assert.equal(sample(metrics, 'feature_store_up'), 0);
    assert.equal(sample(metrics, 'feature_store_scrape_errors_total'), 1);
    assert.equal(
      [...metrics.keys()].some((k) => k.startsWith('feature_store_feature_view_')),
      false,
    );
    assert.match(stderr, /relation "no_such_schema_here.feature_views" does not exist/);
  });

  void it('an unreachable database with a password in its URL fails the same way and never prints the password', async () => {
    const unreachable = keep(
      await startFeatureStoreExporter({
        port: 0,
        // freePort(): a port nothing listens on.
        databaseUrl: `postgresql://u:s3cret-pw@127.0.0.1:${await freePort()}/x`,
        queryTimeoutMs: 2000,
      }),
    );
    const [metrics, stderr] = await withStderr(() => scrape(unreachable.url));
    assert.equal(sample(metrics, 'feature_store_up'), 0);
    assert.match(stderr, /feature-store-exporter: read failed: .*ECONNREFUSED/);
    assert.doesNotMatch(stderr, /s3cret-pw/);
  });

  void it('refuses a schema name that is not an identifier', async () => {
    await assert.rejects(
      startFeatureStoreExporter({ port: 0, databaseUrl: DATABASE_URL, schema: 'x; drop table y' }),
      /FEATURE_STORE_SCHEMA must be a lower-case SQL identifier/,
    );
  });
});

void describe('model-registry exporter on the MLflow REST subset', () => {
  void it("reads every model through the demo registry's pages", async () => {
    const demo = keep(
      await startMlPlatform({ port: 0, databaseUrl: DATABASE_URL, schema: SCHEMA, views: VIEWS }),
    );
    const exporter = keep(await startModelRegistryExporter({ port: 0, trackingUri: demo.url }));
    const m = await scrape(exporter.url);
    assert.equal(sample(m, 'model_registry_up'), 1);
    assert.equal(sample(m, 'model_registry_models'), 3, 'three models over two pages of two');
    assert.equal(sample(m, 'model_registry_model_versions{model="fraud-detector",stage="Archived"}'), 1);
    assert.equal(sample(m, 'model_registry_model_versions{model="fraud-detector",stage="Production"}'), 1);
    assert.equal(sample(m, 'model_registry_model_versions{model="churn-predictor",stage="None"}'), 2);
    // churn-predictor has no stage, only the `production` alias.
    assert.equal(sample(m, 'model_registry_production_versions{model="churn-predictor"}'), 1);
    const since = sample(m, 'model_registry_seconds_since_last_deployment{model="fraud-detector"}');
    assert.ok(Math.abs(since - 3 * 86_400) < 60, `since ${since}`);
    assert.ok(sample(m, 'model_registry_model_downloads_total{model="demand-forecast"}') >= 2100);
    assert.equal(sample(m, 'model_registry_latest_version_failed{model="fraud-detector"}'), 0);
  });

  void it('sends the MLflow token as a bearer token, and reports a registry that fails without failing the scrape', async () => {
    const seen: string[] = [];
    let status = 200;
    const registry = await listen(
      (req, res) => {
        seen.push(`${req.headers.authorization ?? ''} ${req.url ?? ''}`);
        if (status !== 200) return res.writeHead(status).end('{"error_code":"INTERNAL_ERROR"}');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            req.url?.includes('registered-models')
              ? '{"registered_models":[{"name":"only"}]}'
              : '{"model_versions":[]}',
          );
      },
      { port: 0 },
    );
    const exporter = keep(
      await startModelRegistryExporter({ port: 0, trackingUri: registry.url, auth: { token: 'tok-123' } }),
    );
    const ok = await scrape(exporter.url);
    assert.equal(sample(ok, 'model_registry_production_versions{model="only"}'), 0);
    assert.ok(
      seen.every((s) => s.startsWith('Bearer tok-123 /api/2.0/mlflow/')),
      seen.join('\n'),
    );
    assert.ok(
      seen.some((s) => s.includes('filter=name%3D%27only%27')),
      seen.join('\n'),
    );
    status = 503;
    const [failed, stderr] = await withStderr(() => scrape(exporter.url));
    assert.equal(sample(failed, 'model_registry_up'), 0);
    assert.equal(sample(failed, 'model_registry_scrape_errors_total'), 1);
    // The last good figures stay, so a registry blip does not resolve every model alert.
    assert.equal(sample(failed, 'model_registry_production_versions{model="only"}'), 0);
    assert.match(stderr, /registered-models\/search answered 503/);
    assert.doesNotMatch(stderr, /tok-123/);
    await registry.close();
  });
});

void describe('GPU exporter', () => {
  /** A stand-in nvidia-smi: records its arguments, prints `stdout` and exits with `code`. */
  const fakeSmi = (name: string, stdout: string, code = 0): string => {
    const out = join(dir, `${name}.out`);
    writeFileSync(out, stdout);
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\necho "$@" > "${path}.args"\ncat "${out}"\nexit ${code}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  void it('runs nvidia-smi with its query and exports the recorded H100 under dcgm-exporter names', async () => {
    const smi = fakeSmi('nvidia-smi', readFileSync(RECORDED, 'utf8'));
    const exporter = keep(await startGpuExporter({ port: 0, nvidiaSmi: smi, hostname: 'gpu-node-1' }));
    const m = await scrape(exporter.url);
    assert.equal(
      readFileSync(`${smi}.args`, 'utf8').trim(),
      '--query-gpu=index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.free,memory.total,temperature.gpu,power.draw,clocks.sm --format=csv,nounits',
    );
    const labels =
      '{gpu="0",UUID="GPU-00000000-0000-0000-0000-000000000000",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-1"}';
    assert.deepEqual(
      ['GPU_UTIL', 'MEM_COPY_UTIL', 'FB_USED', 'FB_FREE', 'GPU_TEMP', 'POWER_USAGE', 'SM_CLOCK'].map((f) =>
        sample(m, `DCGM_FI_DEV_${f}${labels}`),
      ),
      [100, 11, 19818, 61263, 59, 631.95, 1980],
    );
    assert.equal(sample(m, 'gpu_exporter_devices'), 1);
    assert.equal(sample(m, 'gpu_exporter_state{state="ok",reason=""}'), 1);
  });

  void it('a node without a GPU says so: no nvidia-smi, or nvidia-smi finding none', async () => {
    const none = keep(await startGpuExporter({ port: 0, nvidiaSmi: join(dir, 'not-installed') }));
    const m = await scrape(none.url);
    assert.equal(sample(m, 'gpu_exporter_devices'), 0);
    assert.equal(
      sample(m, `gpu_exporter_state{state="no_devices",reason="${join(dir, 'not-installed')} not found"}`),
      1,
    );
    assert.equal(sample(m, 'gpu_exporter_scrape_errors_total'), 0);
    assert.equal(
      [...m.keys()].some((k) => k.startsWith('DCGM_')),
      false,
    );
    // What nvidia-smi prints (exit 6) with a driver but no GPU.
    const empty = keep(
      await startGpuExporter({ port: 0, nvidiaSmi: fakeSmi('smi-empty', 'No devices were found\n', 6) }),
    );
    assert.equal(
      sample(
        await scrape(empty.url),
        'gpu_exporter_state{state="no_devices",reason="No devices were found"}',
      ),
      1,
    );
  });

  void it('a broken driver is an error with its reason, counted', async () => {
    const said = 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.';
    const broken = keep(
      await startGpuExporter({ port: 0, nvidiaSmi: fakeSmi('smi-broken', `${said}\n`, 9) }),
    );
    const [m, _stderr] = await withStderr(() => scrape(broken.url));
    const reason = `${join(dir, 'smi-broken')} failed: ${said}`;
    assert.equal(sample(m, `gpu_exporter_state{state="error",reason="${reason}"}`), 1);
    assert.equal(sample(m, 'gpu_exporter_scrape_errors_total'), 1);
  });

  void it("reads the demo's fault file when one is set; none there is no devices", async () => {
    const file = join(dir, 'gpu-query.csv');
    const exporter = keep(await startGpuExporter({ port: 0, queryFile: file, hostname: 'h' }));
    assert.equal(sample(await scrape(exporter.url), 'gpu_exporter_devices'), 0);
    const demo = keep(
      await startMlPlatform({
        port: 0,
        databaseUrl: DATABASE_URL,
        schema: SCHEMA,
        views: VIEWS,
        gpuQueryFile: file,
      }),
    );
    await fetch(`${demo.url}/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"gpuTemperature":92}',
    });
    const hot = await scrape(exporter.url);
    assert.equal(
      sample(
        hot,
        'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-00000000-0000-0000-0000-000000000000",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="h"}',
      ),
      92,
    );
    await fetch(`${demo.url}/fault`, { method: 'DELETE' });
    assert.equal(sample(await scrape(exporter.url), 'gpu_exporter_devices'), 0);
  });
});

/** Runs `fn` with stderr (the exporters' error log) collected instead of printed. */
async function withStderr<T>(fn: () => Promise<T>): Promise<[T, string]> {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = (chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  };
  try {
    return [await fn(), text];
  } finally {
    process.stderr.write = original;
  }
}
