import type { Logger } from 'pino';
import type { Alert, WebhookPayload } from '../alert/webhook-payload.js';
import { unquoteReceiver } from '../alert/receiver-name.js';
import { beforeDeadline } from '../lib/with-deadline.js';
import type { Metrics } from '../metrics/metrics.js';
import { HeartbeatUnavailableError } from './heartbeat-unavailable-error.js';
import type { HeartbeatPolicy, HeartbeatSource } from './heartbeat-policy.js';
import type { HeartbeatStore } from './heartbeat-store.js';

/** What the webhook asks of the switch: is this a heartbeat, and record it. */
export interface HeartbeatSink {
  /** True when the notification is a Watchdog heartbeat, which is recorded instead of delivered. */
  isHeartbeat(payload: WebhookPayload): boolean;
  record(payload: WebhookPayload): Promise<void>;
}

/**
 * A Watchdog notification: sent to the heartbeat receiver, or made only of Watchdog alerts (so a
 * Watchdog that an operator routed elsewhere still never reaches a human).
 */
export function isHeartbeat(hb: Pick<HeartbeatPolicy, 'receiver' | 'alertname'>, p: WebhookPayload): boolean {
  if (unquoteReceiver(p.receiver) === hb.receiver) return true;
  return p.alerts.length > 0 && p.alerts.every((a) => a.labels.alertname === hb.alertname);
}

/** A source matches an alert when its labels are a subset of the alert's labels. */
export function sourceMatches(
  source: Pick<HeartbeatSource, 'labels'>,
  alert: Pick<Alert, 'labels'>,
): boolean {
  return Object.entries(source.labels).every(([k, v]) => alert.labels[k] === v);
}

/**
 * Which configured sources a notification proves alive, and how many firing alerts match none.
 * Only *firing* alerts count: when Prometheus dies, Alertmanager resolves the Watchdog and sends a
 * resolved notification, which is the pipeline saying goodbye, not a heartbeat.
 * @example heartbeatSources([{ name: 'lab', labels: { cluster: 'lab' } }], fixture('watchdog')) // { sources: ['lab'], unknown: [] }
 */
export function heartbeatSources(
  sources: readonly HeartbeatSource[],
  p: WebhookPayload,
): { sources: string[]; unknown: Alert[] } {
  const seen = new Set<string>();
  const unknown: Alert[] = [];
  for (const alert of p.alerts) {
    if (alert.status !== 'firing') continue;
    const matched = sources.filter((s) => sourceMatches(s, alert));
    matched.forEach((s) => seen.add(s.name));
    if (matched.length === 0) unknown.push(alert);
  }
  return { sources: [...seen], unknown };
}

/**
 * The webhook's heartbeat hook: records the time of each matching source in Redis (one round
 * trip), answering 503 like the queue when Redis does not confirm in time, so Alertmanager retries.
 */
export function createHeartbeatSink(deps: {
  readonly policy: HeartbeatPolicy;
  readonly store: HeartbeatStore;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly now?: () => number;
}): HeartbeatSink {
  const { policy, store, metrics, logger } = deps;
  const now = deps.now ?? Date.now;
  return {
    isHeartbeat: (p) => isHeartbeat(policy, p),
    async record(p) {
      const { sources, unknown } = heartbeatSources(policy.sources, p);
      if (unknown.length > 0) {
        metrics.deadmanUnknownHeartbeats.inc(unknown.length);
        logger.warn(
          { groupKey: p.groupKey, labels: unknown.slice(0, 3).map((a) => a.labels) },
          'heartbeat from a source that is not configured: not tracked',
        );
      }
      if (sources.length === 0) return;
      let first: string[];
      try {
        first = await beforeDeadline(deps.timeoutMs, 'heartbeat write', store.record(sources, now()));
      } catch (err) {
        throw new HeartbeatUnavailableError('Redis did not record the heartbeat; retry', { cause: err });
      }
      if (first.length > 0)
        logger.info(
          { sources: first },
          "first heartbeat: the dead man's switch now pages when these sources go silent",
        );
    },
  };
}
