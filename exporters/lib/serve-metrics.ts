/**
 * The HTTP side every exporter shares: `/metrics` reads the source first (one read per scrape,
 * shared by scrapes that arrive while it runs), then renders the registry; `/healthz` says the
 * process is serving. A failed read is not an HTTP error: the exporter's own `*_up` and
 * `*_scrape_errors_total` say so, and Prometheus still gets the rest (the convention of
 * https://prometheus.io/docs/instrumenting/writing_exporters/#failed-scrapes).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

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
  const server: Server = createServer((req, res) => {
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
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight?.catch(() => undefined);
    },
  };
}

/** A port from the environment, or the default; anything else stops the exporter at start. */
export function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name] ?? String(fallback);
  const port = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return port;
}

/** Runs an exporter as a program: prints where it listens, stops on SIGTERM/SIGINT. */
export function runExporter(name: string, start: () => Promise<RunningExporter>): void {
  // Through a promise, so a setting that throws while the options are read is reported like any start failure.
  Promise.resolve()
    .then(start)
    .then(
      (exporter) => {
        process.stdout.write(`${name} listening on ${exporter.url}/metrics\n`);
        const stop = (): void => {
          void exporter.close().then(() => process.exit(0));
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      },
      (err: unknown) => {
        process.stderr.write(`${name}: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
}
