import { createHash } from 'node:crypto';
import type { WebhookPayload } from './webhook-payload.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Identifies a notification by its *content*: receiver, groupKey, status and the sorted set of
 * (fingerprint, status, startsAt, endsAt). HA peers and Alertmanager retries repeat exactly this,
 * while a group that grows or changes yields a new key. A key of groupKey+status+time would
 * silently drop such a change: BullMQ ignores an add whose deduplication id is still live
 * (https://docs.bullmq.io/guide/jobs/deduplication).
 * @example notificationKey(payload) // "9f2c…" (64 hex chars, no ':' so it is a valid BullMQ id)
 */
export function notificationKey(
  p: Pick<WebhookPayload, 'receiver' | 'groupKey' | 'status' | 'alerts'>,
): string {
  // JSON per alert, not a joined string: any separator could also occur inside a field and make
  // two different notifications one key.
  const alerts = p.alerts.map((a) => JSON.stringify([a.fingerprint, a.status, a.startsAt, a.endsAt])).sort();
  return sha256(JSON.stringify([p.receiver, p.groupKey, p.status, alerts]));
}

/** Stable per alert group (Alertmanager itself uses sha256(groupKey) as the PagerDuty dedup key). */
export function groupHash(groupKey: string): string {
  return sha256(groupKey);
}
