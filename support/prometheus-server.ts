import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { requireBinary } from './require-binary.js';
import { waitFor } from './wait.js';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface LocalPrometheus {
  readonly url: string;
  readonly dataDir: string;
  /** The process itself, to read its log or stop and start it again. */
  readonly process: ManagedProcess;
  /** An instant query's result vector; empty when Prometheus answers without one. */
  query(expr: string): Promise<PromSample[]>;
  /** Polls an instant query until it returns at least `min` series. */
  waitFor(query: string, min?: number, timeoutMs?: number): Promise<void>;
  /** Stops the process and removes its temp directory. */
  close(): Promise<void>;
}

export interface PrometheusOptions {
  /** Scrape targets (host:port) for the default config: every second, honor_labels. */
  readonly targets?: readonly string[];
  /** prometheus.yml text instead of the default config (`targets` is then ignored). */
  readonly config?: string;
  /** OpenMetrics text to backfill with promtool before the start (`# EOF` is added). */
  readonly backfill?: readonly string[];
  /** An OpenMetrics file (ending in `# EOF`) to backfill, for data too big to hold as a string. */
  readonly backfillFile?: string;
  /** The port to listen on, when others must know it first; a free one otherwise. */
  readonly port?: number;
  readonly flags?: readonly string[];
}

const scrapeConfig = (targets: readonly string[]): string =>
  [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: target',
    // A target's own job/instance labels are kept, as the series a test posts expect.
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
  ].join('\n');

function backfill(file: string, dataDir: string): void {
  requireBinary('promtool', 'prometheus');
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`promtool backfill failed: ${r.stderr || r.error?.message}`);
}

/**
 * Starts the Debian `prometheus` binary on a loopback port with a temp TSDB, by default scraping
 * the given targets every second, after optionally backfilling OpenMetrics text with promtool.
 * Throws (the caller fails, it is not skipped) when the binary is missing.
 * @example const prom = await startPrometheus({ targets: [target.address] })
 */
export async function startPrometheus(opts: PrometheusOptions = {}): Promise<LocalPrometheus> {
  requireBinary(PROMETHEUS_BIN, 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'ar-prom-'));
  const dataDir = join(dir, 'data');
  let proc: ManagedProcess | undefined;
  const close = async (): Promise<void> => {
    await proc?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (opts.backfill?.length)
      writeFileSync(join(dir, 'backfill.om'), `${opts.backfill.join('\n')}\n# EOF\n`);
    const backfillFile = opts.backfillFile ?? (opts.backfill?.length ? join(dir, 'backfill.om') : undefined);
    if (backfillFile) backfill(backfillFile, dataDir);
    writeFileSync(join(dir, 'prometheus.yml'), opts.config ?? scrapeConfig(opts.targets ?? []));
    const port = await onPort(opts.port, async (p) => {
      proc = new ManagedProcess('prometheus', PROMETHEUS_BIN, [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${p}`,
        '--storage.tsdb.retention.time=1d',
        '--log.level=warn',
        ...(opts.flags ?? []),
      ]);
      await proc.startReady(`http://127.0.0.1:${p}/-/ready`);
      return p;
    });
    return localPrometheus(`http://127.0.0.1:${port}`, dataDir, proc!, close);
  } catch (err) {
    await close();
    throw err;
  }
}

function localPrometheus(
  url: string,
  dataDir: string,
  proc: ManagedProcess,
  close: () => Promise<void>,
): LocalPrometheus {
  return {
    url,
    dataDir,
    process: proc,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`, {
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as { data?: { result?: PromSample[] } };
      return body.data?.result ?? [];
    },
    async waitFor(query, min = 1, timeoutMs = 20_000) {
      await waitFor(
        async () => {
          const res = (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, {
            signal: AbortSignal.timeout(2_000),
          }).then(
            (r) => r.json(),
            () => undefined,
          )) as { status?: string; error?: string; data?: { result?: unknown[] } } | undefined;
          // A query Prometheus rejects never gets series: say why now, not after the timeout.
          if (res?.status === 'error') throw new Error(`prometheus rejected ${query}: ${res.error ?? ''}`);
          return (res?.data?.result?.length ?? 0) >= min;
        },
        `prometheus: ${query} to have ${min} series`,
        timeoutMs,
        200,
      );
    },
    close,
  };
}
