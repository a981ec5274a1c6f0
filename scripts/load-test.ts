/**
 * Metrics load test: drives the demo gateway (or another loopback URL) with bounded
 * concurrency for a fixed time, then prints throughput, status codes and latency percentiles.
 *
 *   npm run loadtest -- [--url http://127.0.0.1:8000/predict] [--concurrency 10] [--duration 10]
 *                       [--method POST]
 *
 * POST /predict produces real traffic in the demo's metrics (and obeys injected faults);
 * GET /metrics measures the scrape path itself.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runCli } from '../demo/run-cli.js';

const LIMITS = { concurrency: 256, durationSeconds: 600 };

class UsageError extends Error {
  override name = 'UsageError';
}

interface Options {
  url: URL;
  method: string;
  concurrency: number;
  durationSeconds: number;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:8000/predict' },
        method: { type: 'string' },
        concurrency: { type: 'string', default: '10' },
        duration: { type: 'string', default: '10' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url is not a URL: "${values.url}"`);
  }
  // Loopback only: this is a tool for hammering our own demo, not somebody else's service.
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new UsageError(
      `--url must be a loopback address (127.0.0.1, localhost, [::1]), got "${url.hostname}"`,
    );
  }
  const int = (flag: string, raw: string, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new UsageError(`--${flag} must be an integer in [1, ${max}], got "${raw}"`);
    return n;
  };
  return {
    url,
    method: (values.method ?? (url.pathname === '/predict' ? 'POST' : 'GET')).toUpperCase(),
    concurrency: int('concurrency', values.concurrency, LIMITS.concurrency),
    durationSeconds: int('duration', values.duration, LIMITS.durationSeconds),
  };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

interface Result {
  latenciesMs: number[];
  statuses: Map<string, number>;
  firstError: string | undefined;
  elapsedSeconds: number;
}

async function run(options: Options): Promise<Result> {
  const latenciesMs: number[] = [];
  const statuses = new Map<string, number>();
  let firstError: string | undefined;
  const count = (key: string): void => {
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  };
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;
  const body = options.method === 'POST' ? JSON.stringify({ input: 'load-test' }) : null;

  // N workers each issue one request at a time: concurrency is bounded by construction.
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const response = await fetch(options.url, {
          method: options.method,
          headers: body ? { 'content-type': 'application/json' } : {},
          body,
          signal: AbortSignal.timeout(Math.ceil(Math.max(1000, deadline - t0 + 1000))),
        });
        await response.arrayBuffer(); // drain so the keep-alive socket is reused
        count(String(response.status));
      } catch (err) {
        count(err instanceof Error ? `error:${err.name}` : 'error');
        firstError ??= err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      }
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { latenciesMs, statuses, firstError, elapsedSeconds: (performance.now() - started) / 1000 };
}

function report(options: Options, result: Result): string {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const total = sorted.length;
  const ms = (p: number): string => `${percentile(sorted, p).toFixed(1)} ms`;
  const statusLine = [...result.statuses.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status}=${n}`)
    .join(' ');
  return [
    `${options.method} ${options.url.href}  concurrency=${options.concurrency}  duration=${options.durationSeconds}s`,
    `requests   ${total} in ${result.elapsedSeconds.toFixed(1)} s = ${(total / result.elapsedSeconds).toFixed(1)} req/s`,
    `status     ${statusLine || '(none)'}`,
    ...(result.firstError ? [`first error ${result.firstError}`] : []),
    `latency    p50 ${ms(50)}  p90 ${ms(90)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${ms(100)}`,
  ].join('\n');
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  const result = await run(options);
  process.stdout.write(`${report(options, result)}\n`);
  // Every request failing at the socket level means the target is down, not slow.
  const failures = [...result.statuses.keys()]
    .filter((k) => k.startsWith('error'))
    .reduce((n, k) => n + (result.statuses.get(k) ?? 0), 0);
  if (failures === result.latenciesMs.length) {
    process.stderr.write(
      `error: no request reached ${options.url.href}; is the demo running? (npm run demo)\n`,
    );
    return 1;
  }
  return 0;
}

runCli(main);
