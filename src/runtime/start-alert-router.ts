import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, type Worker } from 'bullmq';
import type { Agent } from 'node:https';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { readAccessConfigured } from '../config/read-access.js';
import { OutboxStore } from '../channels/outbox/outbox-store.js';
import { BodyBudget } from '../http/body-budget.js';
import { createApp } from '../http/create-app.js';
import { healthRoutes } from '../http/health-routes.js';
import { metricsRoute } from '../http/metrics-route.js';
import type { MetricsJSON } from '../metrics/merged-metrics.js';
import { failuresRoutes } from '../http/failures-routes.js';
import { outboxRoutes } from '../http/outbox-routes.js';
import { statusRoutes } from '../http/status-routes.js';
import { mergedMetrics } from '../metrics/merged-metrics.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { producerConnection, waitUntilReady } from '../queue/connections.js';
import { replicationGate } from '../queue/replica-wait.js';
import { redisDetails, watchRedis } from './watch-redis.js';
import { beforeDeadline } from '../lib/with-deadline.js';
import { channelList, knownReceivers, renderOptions, webhookAuthKind } from './narrow-config.js';
import { startWorkers, type RunningWorkers } from './start-workers.js';
import {
  QUEUE_DELIVERIES,
  QUEUE_NOTIFICATIONS,
  type DeliveryJobData,
  type NotificationJobData,
} from '../queue/job-types.js';
import { notificationJobOptions } from '../queue/job-options.js';
import { createNotificationProducer } from '../queue/notification-producer.js';
import { createRouter } from '../routing/route-notification.js';
import { deadmanRoutes } from '../http/deadman-routes.js';
import { deadmanStatus } from '../deadman/deadman-status.js';
import { createHeartbeatSink } from '../deadman/heartbeat-sink.js';
import { HeartbeatStore } from '../deadman/heartbeat-store.js';
import { createEnrichment } from '../enrichment/create-enrichment.js';
import { measuredEnricher } from './measured-enricher.js';
import { previewRoute } from '../http/preview-route.js';
import { loadRunbookStore, type ReloadableRunbookStore } from '../runbooks/runbook-store.js';
import { alertmanagerFiringAlerts } from '../runbooks-web/firing-alerts.js';
import { runbookRoutes } from '../runbooks-web/runbook-routes.js';
import { actionJobOptions, QUEUE_ACTIONS, type ActionJobData } from '../actions/action-job.js';
import { createClickQueue } from '../actions/enqueue-click.js';
import { slackActionsRoute } from '../http/slack-actions-route.js';
import { StormStore } from '../channels/slack/storm-store.js';
import { QUEUE_STORM_DIGESTS } from '../queue/storm-digest-worker.js';
import { QUEUE_EMAIL_DIGESTS } from '../queue/email-digest-worker.js';
import { stormRoutes } from '../storms-web/storm-routes.js';
import { FailedJobs } from '../queue/failed-jobs.js';

export interface RunningAlertRouter {
  readonly server: Server;
  readonly url: string;
  readonly metrics: Metrics;
  /** Reload with `runbooks.reload()` (main.ts does on SIGHUP); also reloads on file change. */
  readonly runbooks: ReloadableRunbookStore;
  readonly queues: {
    readonly notifications: Queue<NotificationJobData>;
    readonly deliveries: Queue<DeliveryJobData>;
    readonly actions: Queue<ActionJobData>;
  };
  /** Stops accepting, lets in-flight jobs finish, closes Redis connections. */
  close(): Promise<void>;
}

/** What `startAlertRouter(config, { listen: false })` runs: the workers, no HTTP server. */
export type RunningWorkerSide = Omit<RunningAlertRouter, 'server' | 'url'> & {
  /** The workers, which the parent may ask to stand back while a burst of webhooks is stored. */
  readonly workers: readonly Worker[];
};

/**
 * ROLE=all's workers when they run in a child process (runtime/worker-process.ts): the API process
 * runs none itself, and its /readyz and /metrics include the child's.
 */
export interface WorkersElsewhere {
  /** Reasons the workers are not ready (the child is not running); empty when they are. */
  problems(): string[];
  /** Metrics registries to merge into this process's /metrics (prom-client JSON form). */
  metrics(): Promise<readonly MetricsJSON[]>;
  /** Told each time the number of webhooks being answered changes. */
  ingestLoad?(inFlight: number): void;
}

export interface StartOptions {
  readonly logger: Logger;
  /** Listen port override (tests pass 0 for an ephemeral port). */
  readonly port?: number;
  readonly pagerdutyAgent?: Agent;
  /** How long the webhook waits for Redis before answering 503. */
  readonly ingestTimeoutMs?: number;
  /** false: no HTTP server, nothing listens (the workers' child process of ROLE=all). */
  readonly listen?: boolean;
  /** ROLE=all with the workers in a child process: none start here. */
  readonly workersElsewhere?: WorkersElsewhere;
}

/**
 * The composition root shared by main.ts and the tests: builds queues, workers and the HTTP server
 * for the configured ROLE. Nothing here reads process.env. `listen: false` starts no HTTP server
 * (ROLE=all's worker child process); `workersElsewhere` starts no workers (its parent).
 */
export async function startAlertRouter(
  config: AppConfig,
  opts: StartOptions & { readonly listen: false },
): Promise<RunningWorkerSide>;
export async function startAlertRouter(config: AppConfig, opts: StartOptions): Promise<RunningAlertRouter>;
export async function startAlertRouter(
  config: AppConfig,
  opts: StartOptions,
): Promise<RunningAlertRouter | RunningWorkerSide> {
  const { logger, workersElsewhere } = opts;
  const metrics = createMetrics();
  const producerRedis = producerConnection(config.redis);
  producerRedis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis (producer) error'));
  // The producer fails fast while disconnected (no offline queue), so give it a moment to connect
  // before serving; if Redis is down we start anyway and answer 503 until it is back.
  await waitUntilReady(producerRedis, 3000);
  const queueOpts = { connection: producerRedis, prefix: config.queuePrefix };
  const notifications = new Queue<NotificationJobData>(QUEUE_NOTIFICATIONS, {
    ...queueOpts,
    defaultJobOptions: notificationJobOptions(),
  });
  const deliveries = new Queue<DeliveryJobData>(QUEUE_DELIVERIES, queueOpts);
  const actions = new Queue<ActionJobData>(QUEUE_ACTIONS, {
    ...queueOpts,
    defaultJobOptions: actionJobOptions(config.file.slack.actions),
  });
  // Sampled for the queue gauges only: the workers add and run their jobs.
  const digests = new Queue(QUEUE_STORM_DIGESTS, queueOpts);
  const emailDigests = new Queue(QUEUE_EMAIL_DIGESTS, queueOpts);
  for (const q of [notifications, deliveries, actions, digests, emailDigests])
    q.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));

  const heartbeatStore = new HeartbeatStore(producerRedis, config.queuePrefix);
  // One Prometheus client and query cache per process: worker, preview and runbook pages share it.
  const runbooks = loadRunbookStore(config.runbooksDir, logger, {
    watch: true,
    onLoad: (problems) => {
      metrics.runbookReloads.inc({ outcome: problems.length === 0 ? 'success' : 'problems' });
      metrics.runbooksLastLoadSuccessful.set(problems.length === 0 ? 1 : 0);
    },
  });
  const enrichment = createEnrichment(
    { prometheusUrl: config.prometheusUrl, ...config.file.enrichment },
    {
      logger,
      runbooks,
      onCacheLookup: (hit) => metrics.enrichmentCache.inc({ result: hit ? 'hit' : 'miss' }),
    },
  );

  const router = createRouter(config.file.routes, config.file.defaultChannels);
  const running: RunningWorkers | undefined =
    config.role === 'api' || workersElsewhere
      ? undefined
      : startWorkers({
          config,
          deliveries,
          router,
          enrich: measuredEnricher(enrichment.enrich, metrics),
          metrics,
          logger,
          ...(opts.pagerdutyAgent ? { pagerdutyAgent: opts.pagerdutyAgent } : {}),
        });
  const workers = running?.workers ?? [];
  const closeAll = async (): Promise<void> => {
    await running?.close();
    runbooks.close();
    await Promise.all([
      notifications.close(),
      deliveries.close(),
      actions.close(),
      digests.close(),
      emailDigests.close(),
    ]);
    producerRedis.disconnect();
  };
  const queues = { notifications, deliveries, actions };
  if (opts.listen === false) {
    logger.info({ role: config.role }, 'workers started; no HTTP server in this process');
    return { metrics, runbooks, queues, workers, close: closeAll };
  }
  // Only the process that answers webhooks and probes watches Redis (ROLE=all's worker child does not).
  const watch = watchRedis(producerRedis, config, metrics, logger);
  await watch.refresh();

  const readiness = {
    async check(): Promise<string[]> {
      const problems: string[] = [];
      try {
        await beforeDeadline(1000, 'redis ping', producerRedis.ping());
      } catch {
        problems.push('redis unreachable');
      }
      // A standalone REDIS_URL that names a replica (or a primary demoted under us) refuses writes.
      if (watch.view().role === 'replica') problems.push('redis is a read-only replica');
      if (workers.some((w) => !w.isRunning())) problems.push('a worker is not running');
      if (workersElsewhere) problems.push(...workersElsewhere.problems());
      return problems;
    },
    details: () => ({ redis: redisDetails(watch.view(), config.redis.waitReplicas) }),
  };
  const sampleQueues = async (): Promise<void> => {
    for (const q of [notifications, deliveries, actions, digests, emailDigests]) {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) metrics.queueJobs.set({ queue: q.name, state }, n);
      const [oldest] = counts.waiting ? await q.getJobs(['waiting'], 0, 0, true) : [];
      metrics.queueOldestWaiting.set(
        { queue: q.name },
        oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0,
      );
    }
    await deadmanStatus(heartbeatStore, config.file.heartbeat, metrics);
  };
  // Every role serves health, readiness and metrics (probes and scrapes); only api/all take webhooks.
  const producer =
    config.role === 'worker'
      ? undefined
      : createNotificationProducer(notifications, {
          dedupWindowMs: config.file.dedupWindowSeconds * 1000,
          timeoutMs: opts.ingestTimeoutMs ?? 1000,
          replication: replicationGate(watch, config.redis.waitReplicas, (seconds, outcome) =>
            metrics.replicationWait.observe({ outcome }, seconds),
          ),
        });
  const http = config.file.http;
  const bodies = new BodyBudget(http.maxBodyBytesInFlight);
  const listener = createApp({
    logger,
    readAuth: {
      credentials: config.readAccess.credentials,
      proxy: config.readAccess.proxy,
      protectMetrics: config.file.http.readAuth.protectMetrics,
      // Checked by their own routes: Slack's signature, and the webhook's credentials if any.
      ownAuthPaths: [
        '/slack/actions',
        ...(config.webhookAuth.bearerToken || config.webhookAuth.basic ? ['/api/preview'] : []),
      ],
    },
    index: {
      channels: channelList(config),
      ...(producer ? { webhook: { auth: webhookAuthKind(config) } } : {}),
    },
    ...(producer
      ? {
          webhook: {
            auth: config.webhookAuth,
            knownReceivers: knownReceivers(config),
            producer,
            metrics,
            logger,
            bodies,
            heartbeats: createHeartbeatSink({
              policy: config.file.heartbeat,
              store: heartbeatStore,
              metrics,
              logger,
              timeoutMs: opts.ingestTimeoutMs ?? 1000,
            }),
          },
        }
      : {}),
    routers: [
      ...(producer && config.slack.signingSecret
        ? [
            slackActionsRoute({
              signingSecret: config.slack.signingSecret,
              teamId: config.slack.teamId,
              slackApiUrl: config.slack.apiUrl,
              clicks: createClickQueue(actions, producerRedis, config.queuePrefix, {
                timeoutMs: opts.ingestTimeoutMs ?? 1000,
              }),
              metrics,
              logger,
            }),
          ]
        : []),
      deadmanRoutes(heartbeatStore, config.file.heartbeat, metrics),
      healthRoutes(readiness),
      metricsRoute(metrics, sampleQueues, workersElsewhere ? () => workersElsewhere.metrics() : undefined),
      outboxRoutes(new OutboxStore(producerRedis, config.queuePrefix), config.publicUrl),
      stormRoutes({ reader: new StormStore(producerRedis, config.queuePrefix), logger }),
      statusRoutes({
        metrics: async () =>
          (
            await mergedMetrics(metrics, workersElsewhere ? () => workersElsewhere.metrics() : undefined)
          ).getMetricsAsJSON(),
        queues: [notifications, deliveries, actions, digests, emailDigests],
        readiness,
        deadman: () => deadmanStatus(heartbeatStore, config.file.heartbeat),
        channels: channelList(config),
        role: config.role,
      }),
      failuresRoutes({
        jobs: new FailedJobs({ notifications, deliveries }),
        channels: channelList(config).map((c) => c.name),
        publicUrl: config.publicUrl,
        metrics,
        logger,
      }),
      runbookRoutes({
        store: runbooks,
        deadman: () => deadmanStatus(heartbeatStore, config.file.heartbeat),
        runbooksDir: config.runbooksDir,
        logger,
        ...(enrichment.live ? { live: enrichment.live } : {}),
        ...(config.alertmanagerUrl
          ? {
              firing: alertmanagerFiringAlerts(config.alertmanagerUrl),
              alertmanagerUrl: config.alertmanagerUrl,
            }
          : {}),
        ...(config.prometheusUrl ? { prometheusUrl: config.prometheusUrl } : {}),
        ...(config.grafanaUrl ? { grafanaUrl: config.grafanaUrl } : {}),
      }),
      previewRoute({
        auth: config.webhookAuth,
        render: renderOptions(config),
        router,
        enrich: enrichment.enrich,
        bodies,
      }),
    ],
  });
  const server = createServer(
    {
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      keepAliveTimeout: http.keepAliveTimeoutMs,
      // How often timeouts are enforced: Node's 30 s default would let them overrun by that much.
      connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs / 2),
    },
    listener,
  );
  server.maxConnections = http.maxConnections;
  // Webhooks being answered right now, for workers that run elsewhere and stand back during a burst.
  const load = workersElsewhere?.ingestLoad?.bind(workersElsewhere);
  if (load) {
    let inFlight = 0;
    server.on('request', (req, res) => {
      if (req.method !== 'POST' || !req.url?.startsWith('/webhook')) return;
      load(++inFlight);
      res.once('close', () => load(--inFlight));
    });
  }
  // 'error' rejects (EADDRINUSE and the like) instead of crashing the process as an unhandled
  // event; the workers already started are stopped first, so no job is left mid-delivery.
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    watch.close();
    await closeAll();
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${addr.port}`;
  logger.info(
    { port: addr.port, role: config.role, ...(workersElsewhere ? { workers: 'child process' } : {}) },
    'listening',
  );
  if (!readAccessConfigured(config.readAccess)) {
    logger.warn(
      'no READ_BEARER_TOKEN, READ_BASIC_AUTH or TRUSTED_PROXY_* configured: the pages and APIs (outbox, runbooks with live values, storms, failures, status, /metrics) answer anyone who can reach this port',
    );
  }
  if (!config.webhookAuth.bearerToken && !config.webhookAuth.basic) {
    logger.warn(
      'no WEBHOOK_BEARER_TOKEN or WEBHOOK_BASIC_AUTH configured: the webhook accepts unauthenticated requests',
    );
  }

  return {
    server,
    url,
    metrics,
    runbooks,
    queues,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      watch.close();
      await closeAll();
    },
  };
}
