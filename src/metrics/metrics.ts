import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { packageVersion } from '../lib/package-version.js';

/**
 * One registry per service instance (tests build several apps in one process). Every name of ours
 * has the `alert_router_` prefix and every label has a bounded set of values.
 */
export function createMetrics() {
  const registry = new Registry();
  // Node's own metrics under their standard names (process_*, nodejs_*), so stock Node.js
  // dashboards work as they are.
  collectDefaultMetrics({ register: registry });
  // The usual *_build_info: constant 1, the facts in labels, so a dashboard can show what runs where.
  new Gauge({
    name: 'alert_router_build_info',
    help: 'alert-router build: version (package.json) and the Node.js running it. Always 1.',
    labelNames: ['version', 'nodejs'] as const,
    // ROLE=all merges the worker process's registry into the API's: one build, not a sum of two.
    aggregator: 'first',
    registers: [registry],
  }).set({ version: packageVersion(), nodejs: process.versions.node }, 1);
  return {
    registry,
    notificationsReceived: new Counter({
      name: 'alert_router_notifications_received_total',
      help: 'Webhook notifications received, by receiver, status and outcome (queued|duplicate|rejected|unavailable|heartbeat|unauthorized); duplicate: the same content within the dedup window, already queued.',
      labelNames: ['receiver', 'status', 'outcome'] as const,
      registers: [registry],
    }),
    notificationsStale: new Counter({
      name: 'alert_router_stale_alerts_dropped_total',
      help: 'Firing alerts dropped because their episode had already resolved.',
      registers: [registry],
    }),
    notificationFailures: new Counter({
      name: 'alert_router_notification_failures_total',
      help: 'Failed attempts to route and fan out an accepted notification (retried|failed); failed ones reach no channel.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'alert_router_deliveries_total',
      help: 'Delivery attempts by configured channel name, its type (slack|pagerduty|email|outbox) and outcome (delivered|retried|failed|rate_limited|skipped).',
      labelNames: ['channel', 'type', 'outcome'] as const,
      registers: [registry],
    }),
    staleDeliveriesSkipped: new Counter({
      name: 'alert_router_stale_deliveries_skipped_total',
      help: 'Deliveries not sent because a newer notification of the same group was already on its way to the channel (late news: a firing since resolved, a state since replaced).',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    storms: new Counter({
      name: 'alert_router_storms_total',
      help: 'Storms in a Slack channel by event (started|ended): more new groups than the channel threshold within its window.',
      labelNames: ['channel', 'event'] as const,
      registers: [registry],
    }),
    stormGroupsFolded: new Counter({
      name: 'alert_router_storm_groups_folded_total',
      help: 'Alert groups that joined a storm digest instead of getting a message of their own.',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    deliveryDuration: new Histogram({
      name: 'alert_router_delivery_duration_seconds',
      help: 'Time spent calling the vendor for one delivery attempt, by configured channel name and type.',
      labelNames: ['channel', 'type'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    enrichmentDuration: new Histogram({
      name: 'alert_router_enrichment_duration_seconds',
      help: 'Time to gather live context for one notification (bounded by enrichment.budgetMs).',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    enrichments: new Counter({
      name: 'alert_router_enrichments_total',
      help: 'Notifications enriched, by outcome: full (live context), unavailable (sent without it: no Prometheus, timeout, errors), failed (the stage threw).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    enrichmentCache: new Counter({
      name: 'alert_router_enrichment_cache_lookups_total',
      help: 'Prometheus queries through the shared query cache (enrichment, preview, runbook pages) by result: hit (answered from the cache or a request in flight) or miss (sent to Prometheus).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    queueOldestWaiting: new Gauge({
      name: 'alert_router_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting to be picked up, per queue (0 when none waits), sampled at scrape time: a backlog that only grows shows here first.',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: 'alert_router_queue_jobs',
      help: 'Jobs per queue and state (waiting|active|delayed|failed), sampled at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    deadmanSecondsSinceHeartbeat: new Gauge({
      name: 'alert_router_deadman_seconds_since_heartbeat',
      help: 'Seconds since the last Watchdog heartbeat per configured source (NaN before the first one).',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    deadmanSilent: new Gauge({
      name: 'alert_router_deadman_silent',
      help: '1 while a heartbeat source is past its grace and paged (DeadMansSwitch), else 0.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    deadmanWaiting: new Gauge({
      name: 'alert_router_deadman_waiting_for_first_heartbeat',
      help: '1 while a configured heartbeat source has never sent a heartbeat: the switch waits and does not page for it (unless expectFirstWithinSeconds), else 0.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    deadmanUnknownHeartbeats: new Counter({
      name: 'alert_router_deadman_unknown_heartbeats_total',
      help: 'Firing Watchdog alerts that matched no configured heartbeat source (not tracked).',
      registers: [registry],
    }),
    heartbeatPings: new Counter({
      name: 'alert_router_heartbeat_pings_total',
      help: "Pings of HEARTBEAT_PING_URL (alert-router's own heartbeat to an outside dead man's service) by outcome (ok|failed).",
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    heartbeatPingLastSuccess: new Gauge({
      name: 'alert_router_heartbeat_ping_last_success_timestamp_seconds',
      help: 'When HEARTBEAT_PING_URL last answered 2xx (Unix seconds).',
      registers: [registry],
    }),
    slackActionRequests: new Counter({
      name: 'alert_router_slack_action_requests_total',
      help: 'Requests to POST /slack/actions by result (queued|duplicate|ignored|bad_signature|wrong_team|invalid|unavailable).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    slackActions: new Counter({
      name: 'alert_router_slack_actions_total',
      help: 'Slack clicks carried out by action (acknowledge|silence|unsilence) and outcome (done|refused|retried|failed).',
      labelNames: ['action', 'outcome'] as const,
      registers: [registry],
    }),
    emailDigestNotifications: new Counter({
      name: 'alert_router_email_digest_notifications_total',
      help: 'Notifications batched into an email digest instead of mailed at once, by configured email channel.',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    emailDigestsSent: new Counter({
      name: 'alert_router_email_digests_sent_total',
      help: 'Digest emails SMTP accepted, by configured email channel.',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    failedJobRepairs: new Counter({
      name: 'alert_router_failed_job_repairs_total',
      help: 'Jobs an operator retried or discarded from /failures or /api/failures, by queue (notifications|deliveries) and action (retry|discard).',
      labelNames: ['queue', 'action'] as const,
      registers: [registry],
    }),
    runbookReloads: new Counter({
      name: 'alert_router_runbook_reloads_total',
      help: 'Loads of the runbooks directory (start-up, SIGHUP, a file change) by outcome: success, or problems (some files skipped, see the log).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    runbooksLastLoadSuccessful: new Gauge({
      name: 'alert_router_runbooks_last_load_successful',
      help: '1 if the last load of the runbooks directory had no problems, 0 if some files were skipped (the log names them; the valid ones are served).',
      // ROLE=all: the API's and the worker process's loads, merged as 0 if either had problems.
      aggregator: 'min',
      registers: [registry],
    }),
    // Only the process that answers webhooks watches Redis; ROLE=all's worker child leaves these
    // unset, so the merge takes the API's ('max' of one value).
    redisInfo: new Gauge({
      name: 'alert_router_redis_info',
      help: 'The Redis this instance writes to: topology (standalone|sentinel|cluster) and the role (master|replica|unknown) of the server it is connected to. Always 1.',
      labelNames: ['topology', 'role'] as const,
      aggregator: 'max',
      registers: [registry],
    }),
    redisReplicas: new Gauge({
      name: 'alert_router_redis_connected_replicas',
      help: 'Replicas connected to the Redis primary this instance writes to (for a cluster: of the primary holding its hash slot).',
      aggregator: 'max',
      registers: [registry],
    }),
    redisFailovers: new Counter({
      name: 'alert_router_redis_failovers_total',
      help: 'Times the Redis primary this instance writes to changed address (a Sentinel or cluster failover) since it started.',
      registers: [registry],
    }),
    redisLastFailover: new Gauge({
      name: 'alert_router_redis_last_failover_timestamp_seconds',
      help: 'When this instance last saw the Redis primary change (Unix seconds); 0 if it has not.',
      aggregator: 'max',
      registers: [registry],
    }),
    replicationWait: new Histogram({
      name: 'alert_router_replication_wait_seconds',
      help: 'How long an accepted write waited for replicas (Redis WAIT) before the webhook answered, by outcome (confirmed|short).',
      labelNames: ['outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
