import type { WebhookPayload } from '../src/alert/webhook-payload.js';

const NAMES = ['KubePodCrashLooping', 'TargetDown', 'HighErrorRate', 'HighLatency', 'DiskWillFillIn4h'];
const SEVERITIES = ['warning', 'warning', 'critical', 'info', 'warning'];

/**
 * Group `i` of a storm as Alertmanager would send it: its own groupKey and service, one alert, an
 * alert name and severity from a small set (so the digest has something to count), and its own
 * expression when `distinctExpr` (so enrichment plans a query per group, as a real outage does).
 * The same `i`, `run` and `startsAt` give the same group, so resolving it is `stormGroup(...,
 * 'resolved')`.
 * @example const p = stormGroup(7, 'run1', '2026-12-01T10:00:00.000Z')
 */
export function stormGroup(
  i: number,
  run: string,
  startsAt: string,
  status: 'firing' | 'resolved' = 'firing',
  opts: { receiver?: string; distinctExpr?: boolean } = {},
): WebhookPayload {
  const alertname = NAMES[i % NAMES.length]!;
  const service = `svc-${run}-${i}`;
  const labels = {
    alertname,
    service,
    severity: SEVERITIES[i % SEVERITIES.length]!,
    instance: `${service}-0:8080`,
    team: `team-${i % 7}`,
  };
  const expr = opts.distinctExpr
    ? `sum(rate(http_requests_total{service="${service}",code=~"5.."}[5m])) > ${i}`
    : 'up == 0';
  const endsAt = status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z';
  return {
    receiver: opts.receiver ?? 'alert-router',
    status,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: `${alertname} on ${service}` },
        startsAt,
        endsAt,
        generatorURL: `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`,
        fingerprint: `${run}-${i}`,
      },
    ],
    groupLabels: { alertname, service },
    commonLabels: labels,
    commonAnnotations: { summary: `${alertname} on ${service}` },
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="${alertname}", service="${service}"}`,
    truncatedAlerts: 0,
  };
}
