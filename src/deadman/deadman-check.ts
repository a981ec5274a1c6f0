import type { Logger } from 'pino';
import { notificationKey } from '../alert/notification-key.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import type { Metrics } from '../metrics/metrics.js';
import { deadmanJobId, deadmanPayload } from './deadman-alert.js';
import { graceSecondsOf, setDeadmanGauges } from './deadman-status.js';
import type { HeartbeatPolicy } from './heartbeat-policy.js';
import type { HeartbeatStore, SourceRecord } from './heartbeat-store.js';

export type Verdict = { action: 'none' } | { action: 'page'; since: number } | { action: 'resolve' };

/**
 * The dead man's switch rule for one source, pure. A source never heard from waits for its first
 * heartbeat (Redis remembers it, so a restart stays armed) unless `expectFirstMs` says how long it
 * may take. A heard-from source is due after its grace since the last heartbeat; after a gap in
 * watching (alert-router itself down), after the start-up grace from when watching resumed, so
 * the router never pages for time nobody was listening. A silent source resolves on any heartbeat
 * newer than the outage start.
 * @example evaluate({ state: 'ok', lastHeartbeat: 0, expectedSince: 0 }, { now: 10_000, graceMs: 5000, startupGraceMs: 1000, watchedSince: 0 }) // { action: 'page', since: 0 }
 */
export function evaluate(
  r: SourceRecord,
  t: { now: number; graceMs: number; startupGraceMs: number; watchedSince: number; expectFirstMs?: number },
): Verdict {
  if (r.state === 'silent') {
    return r.lastHeartbeat !== undefined && r.lastHeartbeat > (r.since ?? -Infinity)
      ? { action: 'resolve' }
      : { action: 'none' };
  }
  const base = Math.max(r.expectedSince ?? t.now, t.watchedSince);
  if (r.lastHeartbeat === undefined)
    return t.expectFirstMs !== undefined && t.now > base + t.expectFirstMs
      ? { action: 'page', since: base }
      : { action: 'none' };
  const last = r.lastHeartbeat;
  const deadline = last >= base ? last + t.graceMs : Math.max(last + t.graceMs, base + t.startupGraceMs);
  return t.now > deadline ? { action: 'page', since: last } : { action: 'none' };
}

/**
 * Queues one notification for the channels; adding a job id again is a no-op, so a retried tick
 * cannot page twice (the queue's `enqueueDeliveries`).
 */
export type QueueDeliveries = (
  notification: { readonly key: string; readonly receivedAt: number; readonly payload: WebhookPayload },
  channels: readonly string[],
  jobIdFor: (channel: string) => string,
) => Promise<void>;

export interface DeadmanCheckDeps {
  readonly policy: HeartbeatPolicy;
  /** Where a silent source is paged when neither it nor the policy names channels. */
  readonly defaultChannels: readonly string[];
  /** alert-router's own address, for the runbook link in the page. */
  readonly publicUrl: string;
  readonly store: HeartbeatStore;
  readonly queueDeliveries: QueueDeliveries;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * One tick, run by whichever worker got the scheduler's job: move sources between ok and silent
 * with atomic compare-and-set transitions, then queue the page or resolve for each transition.
 * Queuing happens after the transition and is retried on every tick until it succeeded (`pending`),
 * with job ids naming the incident, so a crash in between neither loses nor doubles a page.
 * Returns the sources' state after the tick.
 */
export async function runDeadmanCheck(
  deps: DeadmanCheckDeps,
  now = Date.now(),
): Promise<ReadonlyMap<string, SourceRecord>> {
  const { policy: hb, store, logger } = deps;
  const names = hb.sources.map((s) => s.name);
  if (names.length === 0) return new Map();
  await store.expect(names, now);
  const maxGapMs = Math.max(3 * hb.checkIntervalSeconds * 1000, 10_000);
  const watchedSince = await store.watchedSince(now, maxGapMs);
  const before = await store.read(names);
  for (const [name, r] of before) {
    const expectFirst = hb.sources.find((s) => s.name === name)?.expectFirstWithinSeconds;
    const v = evaluate(r, {
      now,
      graceMs: graceSecondsOf(hb, name) * 1000,
      startupGraceMs: hb.startupGraceSeconds * 1000,
      watchedSince,
      ...(expectFirst !== undefined ? { expectFirstMs: expectFirst * 1000 } : {}),
    });
    if (v.action === 'page' && (await store.markSilent(name, r.lastHeartbeat, v.since, String(now), now)))
      logger.error({ source: name, since: new Date(v.since).toISOString() }, 'DeadMansSwitch: source silent');
    if (v.action === 'resolve' && r.incident && (await store.markOk(name, r.incident, now)))
      logger.info({ source: name, incident: r.incident }, 'DeadMansSwitch: heartbeats resumed');
  }
  const after = await store.read(names);
  setDeadmanGauges(deps.metrics, after, now);
  for (const [name, r] of after) if (r.pending) await queueNotification(deps, name, r, r.pending, now);
  return after;
}

async function queueNotification(
  deps: DeadmanCheckDeps,
  source: string,
  r: SourceRecord,
  pending: string,
  now: number,
): Promise<void> {
  const hb = deps.policy;
  const configured = hb.sources.find((s) => s.name === source);
  const [action, incident] = pending.split(':') as ['trigger' | 'resolve', string];
  if (r.since === undefined || !incident) return;
  const payload = deadmanPayload({
    source,
    incident,
    since: r.since,
    // Only an expectFirstWithinSeconds page comes before any heartbeat; its resolve is the first one.
    neverHeard: action === 'trigger' && r.lastHeartbeat === undefined,
    ...(action === 'resolve' ? { resolvedAt: r.resolvedAt ?? now } : {}),
    labels: configured?.labels ?? {},
    publicUrl: deps.publicUrl,
  });
  // The source's own channels, else the heartbeat's, else wherever unrouted notifications go.
  const channels = configured?.channels ?? (hb.channels.length > 0 ? hb.channels : deps.defaultChannels);
  const key = notificationKey(payload);
  await deps.queueDeliveries({ key, receivedAt: now, payload }, channels, (channel) =>
    deadmanJobId(source, incident, action, channel),
  );
  await deps.store.clearPending(source, pending);
  deps.logger.info({ source, incident, action, channels }, 'DeadMansSwitch notification queued');
}
