import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { burnRateAlerts, sloGroupInterval, windowSeconds, type BurnRateAlert } from './burn-rate-rules.js';
import { SERVICE } from './metrics.js';
import { BASELINE_ERROR_RATE, MODELS } from './simulate.js';
import { forecastResolution, type SliHistory } from './resolution-forecast.js';

const RULES = fileURLToPath(new URL('../prometheus/rules/slo_alerts.rules.yml', import.meta.url));
const ROUTES = fileURLToPath(new URL('../alertmanager/alertmanager.yml', import.meta.url));
/**
 * Share of requests over 0.3 s without a fault: simulate.ts adds exponential jitter with mean
 * 0.4 x the model's base latency (plus 5 ms overhead), and picks models evenly.
 */
const BASELINE_SLOW =
  MODELS.reduce((sum, m) => sum + Math.exp(-(0.3 - 0.005 - m.baseLatencyS) / (0.4 * m.baseLatencyS)), 0) /
  MODELS.length;
/** The 5m-rate records of slo_recording.rules.yml that the 30-day budget is summed from. */
const SLI_QUERIES: Readonly<Record<string, { bad: string; total: string; baseline: number }>> = {
  availability: {
    baseline: BASELINE_ERROR_RATE,
    bad: `slo:http_requests_errors:rate5m{service="${SERVICE}"}`,
    total: `slo:http_requests:rate5m{service="${SERVICE}"}`,
  },
  latency: {
    baseline: BASELINE_SLOW,
    bad: `slo:http_request_duration_total:rate5m{service="${SERVICE}"} - ignoring() slo:http_request_duration_fast:rate5m{service="${SERVICE}"}`,
    total: `slo:http_request_duration_total:rate5m{service="${SERVICE}"}`,
  },
};
const STEP = 300;
const SLICE = 60;

export const GENERIC_FORECAST =
  'A page from the fault resolves once none of its burn-rate window pairs holds: within about 5 min on a stack ' +
  'with hours of normal traffic behind it, but up to about 30 min on a fresh stack, whose 6h window is mostly ' +
  'the fault, so the 30m/6h pair (burn > 6) holds until the fault has left the 30m window.';

interface PromResponse<T> {
  status: string;
  error?: string;
  data: { result: T[] };
}

async function prom<T>(base: string, path: string, params: Record<string, string>): Promise<T[]> {
  const url = `${base}${path}?${new URLSearchParams(params).toString()}`;
  const res = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as PromResponse<T>;
  if (res.status !== 'success') throw new Error(`${path}: ${res.error ?? res.status}`);
  return res.data.result;
}

/** Per-minute bad/total counts of one SLO since the stack's data begins (up to 3 days). */
async function history(base: string, slo: string, now: number): Promise<SliHistory> {
  const q = SLI_QUERIES[slo];
  if (!q) throw new Error(`no SLI query for slo "${slo}"`);
  const range = async (query: string): Promise<Map<number, number>> => {
    const [series] = await prom<{ values: [number, string][] }>(base, '/api/v1/query_range', {
      query,
      start: String(now - 3 * 86400),
      end: String(now),
      step: String(STEP),
    });
    return new Map((series?.values ?? []).map(([t, v]) => [t, Number(v)]));
  };
  const [bad, total, objective] = await Promise.all([
    range(q.bad),
    range(q.total),
    prom<{ value: [number, string] }>(base, '/api/v1/query', { query: `slo:objective:ratio{slo="${slo}"}` }),
  ]);
  const budget = 1 - Number(objective[0]?.value[1]);
  if (!(budget > 0 && budget < 1)) throw new Error(`no slo:objective:ratio for slo "${slo}"`);
  const out: SliHistory = {
    sliceSeconds: SLICE,
    bad: [],
    total: [],
    errorBudget: budget,
    futureBadRatio: q.baseline,
  };
  // Each point is a 5m rate, i.e. the 5 minutes up to it: spread evenly over its minutes.
  for (const t of [...total.keys()].sort((a, b) => a - b)) {
    for (let i = 0; i < STEP / SLICE; i++) {
      (out.bad as number[]).push((bad.get(t) ?? 0) * SLICE);
      (out.total as number[]).push((total.get(t) ?? 0) * SLICE);
    }
  }
  return out;
}

const minutes = (seconds: number): string => `${Math.max(1, Math.round(seconds / 60))} min`;
const clock = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString().slice(11, 16);

interface ActiveAlert {
  labels: { alertname: string; service?: string };
  state: 'pending' | 'firing';
  activeAt: string;
}

function explain(alert: BurnRateAlert, active: ActiveAlert, h: SliHistory, now: number): string {
  const f = forecastResolution(alert, h);
  const interval = existsSync(ROUTES) ? sloGroupInterval(ROUTES, alert.severity) : undefined;
  const message = interval
    ? `the resolved message follows up to ${minutes(interval)} later (Alertmanager's group_interval)`
    : 'the resolved message follows at the next Alertmanager group_interval';
  const firesAt = Date.parse(active.activeAt) / 1000 + alert.forSeconds;
  const head = `${alert.alert} (${active.state})`;
  if (f.resolvesInSeconds === 0 || !f.longestPair) {
    return active.state === 'firing'
      ? `${head}: no window pair holds any more; Prometheus resolves it at its next evaluation and ${message}.`
      : `${head}: no window pair holds any more; it stops pending without firing.`;
  }
  const resolvesAt = now + f.resolvesInSeconds;
  const when = `in about ${minutes(f.resolvesInSeconds)} (around ${clock(resolvesAt)} UTC)`;
  const [short = '', long = ''] = [...f.longestPair.windows].sort(
    (a, b) => windowSeconds(a) - windowSeconds(b),
  );
  const historySeconds = h.total.length * h.sliceSeconds;
  const fresh =
    historySeconds < windowSeconds(long)
      ? ` This stack has only about ${minutes(historySeconds)} of data, so its ${long} window is mostly the fault; behind hours of normal traffic that window would not hold and the alert would clear much sooner.`
      : '';
  const first =
    active.state === 'firing'
      ? `${head}: expect Prometheus to resolve it ${when}; ${message}.`
      : resolvesAt > firesAt
        ? `${head}: it still fires in about ${minutes(Math.max(0, firesAt - now))} (its for: is ${minutes(alert.forSeconds)}) and resolves ${when}; ${message}.`
        : `${head}: it stops pending ${when}, before its for: of ${minutes(alert.forSeconds)}, so it never fires.`;
  const ending = f.endingWindow ?? short;
  return (
    `${first}\n  Why: it fires while both its ${short} and ${long} burn rates are above ${f.longestPair.threshold}; ` +
    `with the demo's baseline errors and the traffic of the last minutes, the ${ending} burn rate takes that long to fall below it.${fresh}`
  );
}

/**
 * What to expect after `demo:fault --clear`: for each SLO alert pending or firing, when it
 * resolves and why, from the stack's own data and rules. Never throws: a Prometheus that cannot
 * be asked gives the general answer.
 * @example process.stdout.write(await clearForecast('http://127.0.0.1:9090'))
 */
export async function clearForecast(prometheusUrl: string): Promise<string> {
  const base = prometheusUrl.replace(/\/+$/, '');
  try {
    const now = Math.floor(Date.now() / 1000);
    const res = (await (
      await fetch(`${base}/api/v1/alerts`, { signal: AbortSignal.timeout(10_000) })
    ).json()) as {
      data: { alerts: ActiveAlert[] };
    };
    const active = res.data.alerts.filter(
      (a) => a.labels.service === SERVICE && a.labels.alertname.startsWith('SLO'),
    );
    if (active.length === 0) return `No SLO alert is pending or firing at ${base}: nothing to wait for.\n`;
    if (!existsSync(RULES)) return `${GENERIC_FORECAST}\n`;
    const lines: string[] = [];
    for (const alert of burnRateAlerts(RULES)) {
      const found = active.find((a) => a.labels.alertname === alert.alert);
      if (found) lines.push(explain(alert, found, await history(base, alert.slo, now), now));
    }
    return `${lines.join('\n')}\n`;
  } catch (err) {
    return `${GENERIC_FORECAST}\n(no precise forecast: Prometheus at ${base} answered ${err instanceof Error ? err.message : String(err)})\n`;
  }
}
