/**
 * The HTTP side every exporter shares: `/metrics` reads the source first (one read per scrape,
 * shared by scrapes that arrive while it runs), then renders the registry; `/healthz` says the
 * process is serving. A failed read is not an HTTP error: the exporter's own `*_up` and
 * `*_scrape_errors_total` say so, and Prometheus still gets the rest (the convention of
 * https://prometheus.io/docs/instrumenting/writing_exporters/#failed-scrapes).
 */
import type { RequestListener } from 'node:http';
import type { Registry } from 'prom-client';
import { listen, runProgram } from '../../src/lib/listen.js';

export interface ServeOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Reads the source and sets the registry's gauges. Must not throw: it records its own errors. */
  refresh: () => Promise<void>;
}

export interface RunningExporter {
  url: string;
  close(): Promise<void>;
}

/** @example const exporter = await serveMetrics({ port: 9101, registry, refresh }); */
export async function serveMetrics(options: ServeOptions): Promise<RunningExporter> {
  let inFlight: Promise<void> | undefined;
  const refreshOnce = (): Promise<void> => {
    inFlight ??= options.refresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const handler: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    refreshOnce()
      .then(() => options.registry.metrics())
      .then(
        (body) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(body),
        (err: unknown) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`),
      );
  };
  const served = await listen(handler, options);
  return {
    url: served.url,
    close: async () => {
      await served.close();
      await inFlight?.catch(() => undefined);
    },
  };
}

/** Runs an exporter as a program: prints where it listens, stops on SIGTERM/SIGINT. */
export function runExporter(name: string, start: () => Promise<RunningExporter>): void {
  runProgram(
    name,
    start,
    (exporter) => exporter.close(),
    (url) => `${name} listening on ${url}/metrics`,
  );
}
