/**
 * Inference-gateway simulator: the scrape target the alert rules were written for, with a
 * fault-injection control plane so the alert path can be exercised end to end on demand.
 *
 *   npm run demo                        # port 8000 (PORT or DEMO_PORT to change)
 *   npm run demo:fault -- --error-rate 0.2
 */
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import { listen, runProgram } from '../src/lib/listen.js';
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
  const served = await listen(createDemoApp({ metrics, faults }), options);
  traffic.start();
  return {
    url: served.url,
    faults,
    traffic,
    stop: async () => {
      traffic.stop();
      await served.close();
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

// Run only as the entry point, so tests can import startDemo without binding port 8000.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runProgram(
    'demo failed to start',
    () => startDemo({ port: portFromEnv(), host: process.env.DEMO_HOST ?? '127.0.0.1' }),
    (demo) => demo.stop(),
    (url) => `inference-gateway demo listening on ${url} (metrics: ${url}/metrics)`,
  );
}
