/**
 * Serving a small HTTP program (the demos, the exporters): listen, say where, stop on a signal.
 * node:http directly, since Express 5's app.listen() also calls its callback on EADDRINUSE.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  url: string;
  /** Stops accepting, drops open connections and resolves once the server is closed. */
  close(): Promise<void>;
}

/** @example const { url, close } = await listen(app, { port: 0 }); // a free port on 127.0.0.1 */
export async function listen(
  handler: RequestListener,
  at: { port: number; host?: string },
): Promise<Listening> {
  const host = at.host ?? '127.0.0.1';
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port from the environment, or the default; anything else stops the program at start. */
export function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name] ?? String(fallback);
  const port = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return port;
}

/**
 * Runs a server as a program: prints `banner(url)`, stops it on SIGTERM/SIGINT, and exits 1 with
 * one line naming `name` if it cannot start (a setting that throws while the options are read
 * included).
 *
 * @example runProgram('gpu-exporter', () => startGpuExporter(options), (url) => `gpu-exporter listening on ${url}/metrics`)
 */
export function runProgram<T extends { url: string }>(
  name: string,
  start: () => Promise<T>,
  stop: (running: T) => Promise<void>,
  banner: (url: string) => string,
): void {
  Promise.resolve()
    .then(start)
    .then(
      (running) => {
        process.stdout.write(`${banner(running.url)}\n`);
        const shutdown = (): void => {
          void stop(running).then(() => process.exit(0));
        };
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
      },
      (err: unknown) => {
        process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
}
