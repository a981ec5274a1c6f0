import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export { freePort } from './free-port.js';
import { freePort } from './free-port.js';

/** One gauge sample the test target exposes. */
export interface TargetSeries {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number | string;
}

export interface MetricsTarget {
  /** host:port, for a scrape config. */
  readonly address: string;
  /** Replaces what /metrics serves from the next scrape on. */
  set(series: readonly TargetSeries[]): void;
  close(): Promise<void>;
}

export interface TestPrometheus {
  readonly url: string;
  readonly dataDir: string;
  /** Polls an instant query until it returns at least `min` series. */
  waitFor(query: string, min?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

// Text exposition format: label values escape \, " and newline.
const escapeLabel = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function exposition(series: readonly TargetSeries[]): string {
  const typed = new Set<string>();
  const lines: string[] = [];
  for (const s of series) {
    if (!typed.has(s.name)) lines.push(`# TYPE ${s.name} gauge`);
    typed.add(s.name);
    const labels = Object.entries(s.labels ?? {})
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    lines.push(`${s.name}${labels ? `{${labels}}` : ''} ${s.value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A node:http /metrics endpoint whose series the test controls. */
export async function startMetricsTarget(initial: readonly TargetSeries[] = []): Promise<MetricsTarget> {
  let body = exposition(initial);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    set(series) {
      body = exposition(series);
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: one gauge sampled every
 * `everySeconds` over the last `minutes`, values from `valueAt(minutesAgo)`.
 */
export function backfillText(
  name: string,
  labels: Readonly<Record<string, string>>,
  valueAt: (minutesAgo: number) => number,
  opts: { minutes?: number; everySeconds?: number; nowSeconds?: number } = {},
): string {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const minutes = opts.minutes ?? 60;
  const every = opts.everySeconds ?? 60;
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  const lines = [`# TYPE ${name} gauge`];
  // Stop a minute short of now so the backfilled block never overlaps what the head scrapes.
  for (let t = now - minutes * 60; t <= now - 60; t += every) {
    lines.push(`${name}{${l}} ${valueAt((now - t) / 60)} ${t}`);
  }
  return lines.join('\n');
}

/**
 * Starts the Debian `prometheus` binary on a free loopback port with a temp TSDB, scraping the
 * given targets every second (honor_labels, so a target's own job/instance labels are kept), after
 * optionally backfilling OpenMetrics text with promtool. Throws (the test fails, it is not skipped)
 * when the binary is missing.
 * @example const prom = await startPrometheus({ targets: [target.address] })
 */
export async function startPrometheus(
  opts: {
    targets?: readonly string[];
    backfill?: readonly string[];
    /** An OpenMetrics file (ending in `# EOF`) to backfill, for data too big to hold as a string. */
    backfillFile?: string;
  } = {},
): Promise<TestPrometheus> {
  if (spawnSync('prometheus', ['--version']).error)
    throw new Error('the prometheus binary is not installed (Debian package "prometheus")');
  const dir = mkdtempSync(join(tmpdir(), 'ar-prom-'));
  const dataDir = join(dir, 'data');
  const backfill = opts.backfillFile ?? (opts.backfill?.length ? join(dir, 'backfill.om') : undefined);
  if (opts.backfill?.length && !opts.backfillFile)
    writeFileSync(backfill!, `${opts.backfill.join('\n')}\n# EOF\n`);
  if (backfill) {
    const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', backfill, dataDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`promtool backfill failed: ${r.stderr || r.error?.message}`);
  }
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: target',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: [${(opts.targets ?? []).map((t) => JSON.stringify(t)).join(', ')}]`,
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`prometheus exited: ${stderr}`);
    }
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prometheus not ready after 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    async waitFor(query, min = 1, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`).then(
          (r) => r.json(),
          () => undefined,
        )) as { data?: { result?: unknown[] } } | undefined;
        if ((res?.data?.result?.length ?? 0) >= min) return;
        if (Date.now() > until) throw new Error(`prometheus: ${query} has no data after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    close,
  };
}

/**
 * A transparent proxy in front of Prometheus that records every request body (the query
 * Prometheus actually received) and counts them.
 */
export async function startCountingProxy(upstream: string): Promise<{
  url: string;
  readonly requests: Array<{ path: string; query: string }>;
  reset(): void;
  close(): Promise<void>;
}> {
  const requests: Array<{ path: string; query: string }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    requests.push({
      path: path.split('?')[0]!,
      query: new URLSearchParams(body.toString()).get('query') ?? '',
    });
    try {
      const up = await fetch(`${upstream}${path}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        ...(req.method === 'POST' ? { body } : {}),
      });
      const text = Buffer.from(await up.arrayBuffer());
      res
        .writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' })
        .end(text);
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => requests.splice(0),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
