import type { MetricsJSON } from '../metrics/merged-metrics.js';
import type { DeadmanStatus } from '../deadman/deadman-status.js';

export interface QueueStatus {
  readonly name: string;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  /** Seconds the oldest waiting job has waited; 0 when none waits. */
  readonly oldestWaitingSeconds: number;
}

/** Delivery attempts of one configured channel since this instance started, by outcome. */
export interface ChannelStatus {
  readonly channel: string;
  readonly type: string;
  readonly delivered: number;
  readonly failed: number;
  readonly retried: number;
  readonly rateLimited: number;
  readonly skipped: number;
}

export interface StatusView {
  readonly version: string;
  readonly nodejs: string;
  readonly role: string;
  readonly uptimeSeconds: number;
  /** What /readyz would say is wrong; empty when ready. */
  readonly problems: readonly string[];
  /** Webhook notifications since start by outcome (queued, duplicate, rejected, ...). */
  readonly notifications: Readonly<Record<string, number>>;
  readonly channels: readonly ChannelStatus[];
  readonly queues: readonly QueueStatus[];
  /** Undefined when Redis did not answer. */
  readonly deadman: DeadmanStatus | undefined;
}

type Sample = MetricsJSON[number]['values'][number];

function samples(metrics: MetricsJSON, name: string): readonly Sample[] {
  return metrics.find((m) => m.name === name)?.values ?? [];
}

const OUTCOMES = {
  delivered: 'delivered',
  failed: 'failed',
  retried: 'retried',
  rateLimited: 'rate_limited',
  skipped: 'skipped',
} as const;

/**
 * Deliveries per configured channel, from `alert_router_deliveries_total`: every channel of the
 * configuration is listed, with zeros before its first delivery, in the configuration's order.
 */
export function channelStatus(
  metrics: MetricsJSON,
  channels: ReadonlyArray<{ readonly name: string; readonly kind: string }>,
): ChannelStatus[] {
  const counts = new Map<string, Record<string, number>>();
  for (const s of samples(metrics, 'alert_router_deliveries_total')) {
    const channel = String(s.labels.channel ?? '');
    const byOutcome = counts.get(channel) ?? {};
    const outcome = String(s.labels.outcome ?? '');
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + s.value;
    counts.set(channel, byOutcome);
  }
  return channels.map((c) => {
    const byOutcome = counts.get(c.name) ?? {};
    const n = (key: keyof typeof OUTCOMES): number => byOutcome[OUTCOMES[key]] ?? 0;
    return {
      channel: c.name,
      type: c.kind,
      delivered: n('delivered'),
      failed: n('failed'),
      retried: n('retried'),
      rateLimited: n('rateLimited'),
      skipped: n('skipped'),
    };
  });
}

/** Webhook notifications by outcome, summed over receivers and statuses. */
export function notificationOutcomes(metrics: MetricsJSON): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples(metrics, 'alert_router_notifications_received_total')) {
    const outcome = String(s.labels.outcome ?? '');
    out[outcome] = (out[outcome] ?? 0) + s.value;
  }
  return out;
}
