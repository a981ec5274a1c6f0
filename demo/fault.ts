/**
 * Injects or clears a fault in the running demos: the inference gateway (SLO faults) and the
 * ML-platform demo (the exporters' faults).
 *
 *   npm run demo:fault -- --error-rate 0.2 [--latency-ms 500] [--duration 300] [--url http://127.0.0.1:8000]
 *   npm run demo:fault -- --stale-feature-view driver_hourly_stats   # FeatureViewStale
 *   npm run demo:fault -- --gpu-temp 92 [--gpu-memory 0.97]          # GPUTemperatureHigh, GPUMemoryNearlyFull
 *   npm run demo:fault -- --db-pool-exhaustion                       # PostgresConnectionPoolSaturated
 *   npm run demo:fault -- --slow-query                               # PostgresSlowQueries
 *   npm run demo:fault -- --clear [--prometheus-url http://127.0.0.1:9090]
 *   npm run demo:fault -- --status
 *
 * --ml-url (or ML_DEMO_URL) names the ML-platform demo, default http://127.0.0.1:5000. --clear
 * clears both demos and says when each SLO alert the gateway fault raised will resolve, and why
 * (demo/clear-forecast.ts).
 */
import { parseArgs } from 'node:util';
import { clearForecast } from './clear-forecast.js';
import { runCli } from './run-cli.js';

const USAGE = `usage: npm run demo:fault -- [--error-rate <0..1>] [--latency-ms <ms>] [--duration <s>]
         [--stale-feature-view <view>] [--gpu-temp <C>] [--gpu-memory <0..1>] [--db-pool-exhaustion] [--slow-query]
         [--clear | --status] [--url <gateway>] [--ml-url <ml demo>] [--prometheus-url <base>]`;

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

interface Call {
  /** Which demo, for messages. */
  demo: 'inference gateway' | 'ML-platform demo';
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  body?: Record<string, number | string | boolean>;
  /** --clear and --status reach both demos; one not running is a note there, not a failure. */
  optional?: boolean;
}

interface Command {
  calls: Call[];
  /** Set for --clear: where to ask when the alerts resolve. */
  prometheusUrl?: string;
}

function baseUrl(flag: string, raw: string): string {
  const base = raw.replace(/\/+$/, '');
  try {
    new URL(base);
  } catch {
    throw new UsageError(`--${flag} is not a URL: "${base}"`);
  }
  return base;
}

/** Turns argv into the HTTP calls to make; throws UsageError on anything ambiguous. */
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
        'stale-feature-view': { type: 'string' },
        'gpu-temp': { type: 'string' },
        'gpu-memory': { type: 'string' },
        'db-pool-exhaustion': { type: 'boolean' },
        'slow-query': { type: 'boolean' },
        clear: { type: 'boolean' },
        status: { type: 'boolean' },
        url: { type: 'string' },
        'ml-url': { type: 'string' },
        'prometheus-url': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const gateway = `${baseUrl('url', values.url ?? process.env.DEMO_URL ?? 'http://127.0.0.1:8000')}/fault`;
  const ml = `${baseUrl('ml-url', values['ml-url'] ?? process.env.ML_DEMO_URL ?? 'http://127.0.0.1:5000')}/fault`;
  const errorRate = parseNumber('error-rate', values['error-rate'], 0, 1);
  const latencyMs = parseNumber('latency-ms', values['latency-ms'], 0, 60_000);
  const durationSeconds = parseNumber('duration', values.duration, 1, 86_400);
  const gpuTemperature = parseNumber('gpu-temp', values['gpu-temp'], 0, 130);
  const gpuMemoryUsedRatio = parseNumber('gpu-memory', values['gpu-memory'], 0, 1);
  const staleFeatureView = values['stale-feature-view'];
  if (staleFeatureView !== undefined && staleFeatureView.trim() === '')
    throw new UsageError('--stale-feature-view needs a feature view name');

  const gatewayFault = errorRate !== undefined || latencyMs !== undefined;
  const mlBody: Record<string, number | string | boolean> = {};
  if (staleFeatureView !== undefined) mlBody.staleFeatureView = staleFeatureView;
  if (gpuTemperature !== undefined) mlBody.gpuTemperature = gpuTemperature;
  if (gpuMemoryUsedRatio !== undefined) mlBody.gpuMemoryUsedRatio = gpuMemoryUsedRatio;
  if (values['db-pool-exhaustion']) mlBody.dbPoolExhaustion = true;
  if (values['slow-query']) mlBody.slowQuery = true;
  const mlFault = Object.keys(mlBody).length > 0;

  if (values.clear && values.status) throw new UsageError('--clear and --status are exclusive');
  if ((values.clear || values.status) && (gatewayFault || mlFault || durationSeconds !== undefined)) {
    throw new UsageError(`--${values.clear ? 'clear' : 'status'} cannot be combined with fault flags`);
  }
  const prometheusUrl = values['prometheus-url'] ?? process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
  if (values['prometheus-url'] !== undefined && !values.clear)
    throw new UsageError('--prometheus-url only goes with --clear');
  if (durationSeconds !== undefined && !gatewayFault)
    throw new UsageError(
      '--duration goes with --error-rate or --latency-ms (ML-platform faults last until --clear)',
    );
  if (values.clear || values.status) {
    const method = values.clear ? 'DELETE' : 'GET';
    return {
      calls: [
        { demo: 'inference gateway', method, url: gateway },
        { demo: 'ML-platform demo', method, url: ml, optional: true },
      ],
      ...(values.clear ? { prometheusUrl } : {}),
    };
  }
  if (!gatewayFault && !mlFault)
    throw new UsageError(
      'nothing to do: pass a fault flag (--error-rate, --stale-feature-view, ...), or --clear, or --status',
    );
  const calls: Call[] = [];
  if (gatewayFault) {
    const body: Record<string, number> = {};
    if (errorRate !== undefined) body.errorRate = errorRate;
    if (latencyMs !== undefined) body.latencyMs = latencyMs;
    if (durationSeconds !== undefined) body.durationSeconds = durationSeconds;
    calls.push({ demo: 'inference gateway', method: 'POST', url: gateway, body });
  }
  if (mlFault) calls.push({ demo: 'ML-platform demo', method: 'POST', url: ml, body: mlBody });
  return { calls };
}

async function send(call: Call): Promise<{ ok: boolean; message: string }> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: call.body ? { 'content-type': 'application/json' } : {},
      body: call.body ? JSON.stringify(call.body) : null,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return {
      ok: false,
      message: `cannot reach the ${call.demo} at ${call.url} (${cause}); is the stack up? (npm run stack:up)`,
    };
  }
  const text = await response.text();
  if (!response.ok)
    return { ok: false, message: `${call.method} ${call.url} -> ${response.status}: ${text}` };
  return { ok: true, message: `${call.method} ${call.url} -> ${response.status}\n${text}` };
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
  let failed = false;
  for (const call of command.calls) {
    const result = await send(call);
    if (result.ok) process.stdout.write(`${result.message}\n`);
    else if (call.optional) process.stdout.write(`note: ${result.message}\n`);
    else {
      process.stderr.write(`error: ${result.message}\n`);
      failed = true;
    }
  }
  if (failed) return 1;
  if (command.prometheusUrl) process.stdout.write(await clearForecast(command.prometheusUrl));
  return 0;
}

runCli(main);
