import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import type { DeliveryJobData } from '../../src/queue/job-types.js';
import type { RunningAlertRouter } from '../../src/runtime/start-alert-router.js';
import { waitFor } from '../../support/wait.js';

/** Posts a notification as Alertmanager would (Bearer `t` unless told) and expects a 200. */
export async function postWebhook(url: string, payload: WebhookPayload, token = 't'): Promise<void> {
  const res = await fetch(`${url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Waits until neither queue has work left: the point after which nothing more reaches a vendor. */
export async function settled(router: Pick<RunningAlertRouter, 'queues'>): Promise<void> {
  await waitFor(
    async () => {
      for (const q of [router.queues.notifications, router.queues.deliveries]) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(c).some((n) => n > 0)) return false;
      }
      return true;
    },
    'queues to drain',
    15_000,
  );
}

/** A group of its own per test (the captured groupKey shape kept), so vendor state never leaks. */
export function uniqueGroup<T extends WebhookPayload>(p: T, id: string = randomUUID()): T {
  return { ...p, groupKey: `${p.groupKey}/${id}` };
}

/** Waits for the failed delivery job of one alert group (a permanent error, or attempts used up). */
export function failedDelivery(
  router: Pick<RunningAlertRouter, 'queues'>,
  groupKey: string,
): Promise<Job<DeliveryJobData>> {
  return waitFor(
    async () =>
      (await router.queues.deliveries.getJobs(['failed'])).find((j) => j.data.payload.groupKey === groupKey),
    `the failed delivery of ${groupKey}`,
  );
}

/** Posts any body as Alertmanager would (JSON, Bearer `t` unless told) and returns the response as is. */
export function postRaw(
  url: string,
  body: string | Buffer,
  opts: { token?: string; path?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${url}${opts.path ?? '/webhook/alertmanager'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? 't'}`, ...opts.headers },
    body,
  });
}

/** Notification jobs in the queue in any state: what a rejected request must leave unchanged. */
export async function notificationJobCount(router: Pick<RunningAlertRouter, 'queues'>): Promise<number> {
  const c = await router.queues.notifications.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  return Object.values(c).reduce((a, b) => a + b, 0);
}
