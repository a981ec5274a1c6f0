import type { Queue } from 'bullmq';
import { Router } from 'express';
import type { DeadmanStatus } from '../deadman/deadman-status.js';
import { pageHeaders } from '../lib/html-page.js';
import { beforeDeadline } from '../lib/with-deadline.js';
import { packageVersion } from '../lib/package-version.js';
import type { MetricsJSON } from '../metrics/merged-metrics.js';
import { channelStatus, notificationOutcomes, type QueueStatus, type StatusView } from './status-data.js';
import { statusPageHtml } from './status-page.js';

export interface StatusRouteDeps {
  /** Every process's metrics, merged (ROLE=all's worker process counts the deliveries). */
  readonly metrics: () => Promise<MetricsJSON>;
  readonly queues: readonly Queue[];
  readonly readiness: { check(): Promise<string[]> };
  readonly deadman: () => Promise<DeadmanStatus>;
  readonly channels: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
  readonly role: string;
}

async function queueStatus(q: Queue, now: number): Promise<QueueStatus> {
  const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
  const [oldest] = c.waiting ? await q.getJobs(['waiting'], 0, 0, true) : [];
  return {
    name: q.name,
    waiting: c.waiting ?? 0,
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    failed: c.failed ?? 0,
    oldestWaitingSeconds: oldest ? Math.max(0, Math.round((now - oldest.timestamp) / 1000)) : 0,
  };
}

/**
 * GET /status (a page) and GET /api/status (JSON): readiness, notifications and deliveries per
 * channel since start, queue depths and the dead man's switch, in one look. A Redis that does
 * not answer still gets a page (its problem listed, queues empty), never a bare 500.
 */
export function statusRoutes(deps: StatusRouteDeps): Router {
  const router = Router();
  async function view(): Promise<StatusView> {
    const now = Date.now();
    const [problems, metrics, queues, deadman] = await Promise.all([
      deps.readiness.check(),
      deps.metrics(),
      // Redis down: commands wait for a reconnect; the page answers within a second and says so.
      beforeDeadline(1000, 'queue counts', Promise.all(deps.queues.map((q) => queueStatus(q, now)))).catch(
        () => [],
      ),
      beforeDeadline(1000, 'heartbeat state', deps.deadman()).catch(() => undefined),
    ]);
    return {
      version: packageVersion(),
      nodejs: process.versions.node,
      role: deps.role,
      uptimeSeconds: Math.round(process.uptime()),
      problems,
      notifications: notificationOutcomes(metrics),
      channels: channelStatus(metrics, deps.channels),
      queues,
      deadman,
    };
  }
  router.get('/api/status', async (_req, res) => {
    const v = await view();
    res
      .status(v.problems.length ? 503 : 200)
      .set('cache-control', 'no-store')
      .json(v);
  });
  router.get('/status', async (_req, res) => {
    const v = await view();
    // A person reads the page either way; the API's status is for a script (as /readyz).
    res.set(pageHeaders()).type('html').send(statusPageHtml(v, Date.now()));
  });
  return router;
}
