import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
