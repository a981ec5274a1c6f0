/**
 * Injects or clears a fault in the running demo gateway.
 *
 *   npm run demo:fault -- --error-rate 0.2 [--latency-ms 500] [--duration 300] [--url http://127.0.0.1:8000]
 *   npm run demo:fault -- --clear [--prometheus-url http://127.0.0.1:9090]
 *
 * --clear also says when each SLO alert the fault raised will resolve, and why (demo/clear-forecast.ts).
 *   npm run demo:fault -- --status
 */
import { parseArgs } from 'node:util';
import { clearForecast } from './clear-forecast.js';
import { runCli } from './run-cli.js';

const USAGE = `usage: npm run demo:fault -- [--error-rate <0..1>] [--latency-ms <ms>] [--duration <s>] [--clear | --status] [--url <base>] [--prometheus-url <base>]`;

class UsageError extends Error {
  override name = 'UsageError';
}

function parseNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  // Number('') is 0, so an empty value must be caught explicitly.
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

interface Command {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** Set for --clear: where to ask when the alerts resolve. */
  prometheusUrl?: string;
  body?: Record<string, number>;
}

/** Turns argv into the one HTTP call to make; throws UsageError on anything ambiguous. */
function parseCommand(argv: string[]): Command {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'error-rate': { type: 'string' },
        'latency-ms': { type: 'string' },
        duration: { type: 'string' },
        clear: { type: 'boolean' },
        status: { type: 'boolean' },
        url: { type: 'string' },
        'prometheus-url': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const base = (values.url ?? process.env.DEMO_URL ?? 'http://127.0.0.1:8000').replace(/\/+$/, '');
  try {
    new URL(base);
  } catch {
    throw new UsageError(`--url is not a URL: "${base}"`);
  }
  const url = `${base}/fault`;
  const errorRate = parseNumber('error-rate', values['error-rate'], 0, 1);
  const latencyMs = parseNumber('latency-ms', values['latency-ms'], 0, 60_000);
  const durationSeconds = parseNumber('duration', values.duration, 1, 86_400);
  const injecting = errorRate !== undefined || latencyMs !== undefined;

  if (values.clear && values.status) throw new UsageError('--clear and --status are exclusive');
  if ((values.clear || values.status) && (injecting || durationSeconds !== undefined)) {
    throw new UsageError(`--${values.clear ? 'clear' : 'status'} cannot be combined with fault flags`);
  }
  const prometheusUrl = values['prometheus-url'] ?? process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
  if (values['prometheus-url'] !== undefined && !values.clear)
    throw new UsageError('--prometheus-url only goes with --clear');
  if (values.clear) return { method: 'DELETE', url, prometheusUrl };
  if (values.status) return { method: 'GET', url };
  if (!injecting)
    throw new UsageError('nothing to do: pass --error-rate and/or --latency-ms, or --clear, or --status');
  const body: Record<string, number> = {};
  if (errorRate !== undefined) body.errorRate = errorRate;
  if (latencyMs !== undefined) body.latencyMs = latencyMs;
  if (durationSeconds !== undefined) body.durationSeconds = durationSeconds;
  return { method: 'POST', url, body };
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  let response: Response;
  try {
    response = await fetch(command.url, {
      method: command.method,
      headers: command.body ? { 'content-type': 'application/json' } : {},
      body: command.body ? JSON.stringify(command.body) : null,
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    process.stderr.write(
      `error: cannot reach ${command.url} (${cause}); is the demo running? (npm run demo)\n`,
    );
    return 1;
  }
  const text = await response.text();
  if (!response.ok) {
    process.stderr.write(`error: ${command.method} ${command.url} -> ${response.status}: ${text}\n`);
    return 1;
  }
  process.stdout.write(`${command.method} ${command.url} -> ${response.status}\n${text}\n`);
  if (command.prometheusUrl) process.stdout.write(await clearForecast(command.prometheusUrl));
  return 0;
}

runCli(main);
