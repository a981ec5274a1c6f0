/**
 * Inference-gateway simulator: the scrape target the alert rules were written for, with a
 * fault-injection control plane so the alert path can be exercised end to end on demand.
 *
 *   npm run demo                        # port 8000 (PORT or DEMO_PORT to change)
 *   npm run demo:fault -- --error-rate 0.2
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import { createDemoApp } from './app.js';
import { FaultState } from './fault-state.js';
import { createDemoMetrics } from './metrics.js';
import { TrafficGenerator } from './traffic.js';

export interface RunningDemo {
  url: string;
  faults: FaultState;
  traffic: TrafficGenerator;
  stop(): Promise<void>;
}

/**
 * Starts the simulator; `port: 0` picks a free port (tests).
 *
 * @example const demo = await startDemo({ port: 0 }); await fetch(`${demo.url}/metrics`);
 */
export async function startDemo(options: {
  port: number;
  host?: string;
  requestsPerSecond?: number;
}): Promise<RunningDemo> {
  const metrics = createDemoMetrics(new Registry());
  const faults = new FaultState();
  const traffic = new TrafficGenerator(metrics, faults, {
    requestsPerSecond: options.requestsPerSecond ?? 20,
  });
  const app = createDemoApp({ metrics, faults });
  const host = options.host ?? '127.0.0.1';
  // node:http directly: Express 5's app.listen() also calls its callback on EADDRINUSE.
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  traffic.start();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    faults,
    traffic,
    stop: async () => {
      traffic.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function portFromEnv(): number {
  const raw = process.env.DEMO_PORT ?? process.env.PORT ?? '8000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DEMO_PORT/PORT must be a port number, got "${raw}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const demo = await startDemo({ port: portFromEnv(), host: process.env.DEMO_HOST ?? '127.0.0.1' });
  process.stdout.write(`inference-gateway demo listening on ${demo.url} (metrics: ${demo.url}/metrics)\n`);
  const shutdown = (): void => {
    void demo.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

// Run only as the entry point, so tests can import startDemo without binding port 8000.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
