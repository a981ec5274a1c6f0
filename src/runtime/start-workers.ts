import type { Agent } from 'node:https';
import { Queue, type Worker } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';
import { startActionWorker } from '../actions/action-worker.js';
import { SilencePermission } from '../actions/silence-allowed.js';
import { SilenceApi } from '../alertmanager/silence-api.js';
import { createChannelRegistry } from '../channels/channel-registry.js';
import { PagerDutyChannel } from '../channels/pagerduty/pagerduty-channel.js';
import type { AppConfig } from '../config/app-config.js';
import { startDeadmanScheduler } from '../deadman/deadman-scheduler.js';
import { HeartbeatStore } from '../deadman/heartbeat-store.js';
import { heartbeatPing } from '../deadman/heartbeat-ping.js';
import type { Enricher } from '../enrichment/enrich-notification.js';
import type { Metrics } from '../metrics/metrics.js';
import { workerConnection } from '../queue/connections.js';
import { startDeliveryWorker } from '../queue/delivery-worker.js';
import { createEmailDigests } from '../queue/email-digest-worker.js';
import { enqueueDeliveries } from '../queue/enqueue-deliveries.js';
import type { DeliveryJobData } from '../queue/job-types.js';
import { startNotificationWorker } from '../queue/notification-worker.js';
import {
  QUEUE_STORM_DIGESTS,
  startStormDigestWorker,
  stormScheduler,
  type StormDigestJobData,
} from '../queue/storm-digest-worker.js';
import type { Router } from '../routing/route-notification.js';
import { slackActionChannels } from './narrow-config.js';

export interface RunningWorkers {
  readonly workers: readonly Worker[];
  /** Lets active jobs finish, then closes the workers' Redis connections. */
  close(): Promise<void>;
}

/**
 * The worker half of the service (ROLE=worker or all): notification fan-out, channel deliveries and
 * the dead man's switch tick. Workers block on Redis, so each gets its own connection, which waits
 * for Redis to come back instead of failing (unlike the producer's).
 */
export function startWorkers(deps: {
  readonly config: AppConfig;
  readonly deliveries: Queue<DeliveryJobData>;
  readonly router: Router;
  readonly enrich: Enricher;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly pagerdutyAgent?: Agent;
}): RunningWorkers {
  const { config, metrics, logger, deliveries } = deps;
  const connections: RedisClient[] = [];
  const conn = (): RedisClient => {
    const r = workerConnection(config.redis);
    r.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis (worker) error'));
    connections.push(r);
    return r;
  };
  const shared = conn();
  // Email digests (docs/email-digest.md): the email channels schedule each window's send here.
  const emailDigests = Object.values(config.file.channels).some((c) => c.type === 'email')
    ? createEmailDigests({
        connection: conn(),
        prefix: config.queuePrefix,
        policy: config.file.delivery,
        metrics,
        logger,
      })
    : undefined;
  const digests = new Queue<StormDigestJobData>(QUEUE_STORM_DIGESTS, {
    connection: shared,
    prefix: config.queuePrefix,
  });
  digests.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  // Series exist from the start, so a first storm is an increase Prometheus can see.
  for (const [channel, c] of Object.entries(config.file.channels))
    if (c.type === 'slack' && c.storm.enabled) {
      for (const event of ['started', 'ended']) metrics.storms.inc({ channel, event }, 0);
      metrics.stormGroupsFolded.inc({ channel }, 0);
    }
  const registry = createChannelRegistry(config, shared, {
    ...(deps.pagerdutyAgent ? { pagerdutyAgent: deps.pagerdutyAgent } : {}),
    ...(emailDigests ? { scheduleEmailDigest: emailDigests.schedule } : {}),
    storms: {
      schedule: stormScheduler(digests),
      events: {
        started: (channel) => metrics.storms.inc({ channel, event: 'started' }),
        ended: (channel) => metrics.storms.inc({ channel, event: 'ended' }),
        folded: (channel) => metrics.stormGroupsFolded.inc({ channel }),
      },
    },
  });
  const { channels } = registry;
  const policy = config.file.delivery;
  const deadman = startDeadmanScheduler({
    policy: config.file.heartbeat,
    defaultChannels: config.file.defaultChannels,
    publicUrl: config.publicUrl,
    prefix: config.queuePrefix,
    store: new HeartbeatStore(shared, config.queuePrefix),
    queueDeliveries: (n, to, jobIdFor) => enqueueDeliveries(deliveries, shared, policy, n, to, jobIdFor),
    metrics,
    logger,
    connection: conn(),
    workerConnection: conn(),
    ...(config.heartbeatPingUrl ? { ping: heartbeatPing(config.heartbeatPingUrl, metrics, logger) } : {}),
  });
  const workers: Worker[] = [
    startNotificationWorker({
      prefix: config.queuePrefix,
      policy,
      connection: conn(),
      redis: shared,
      deliveries,
      router: deps.router,
      metrics,
      logger,
      enrich: deps.enrich,
    }),
    startDeliveryWorker({
      connection: conn(),
      redis: shared,
      prefix: config.queuePrefix,
      channels,
      concurrency: config.file.delivery.concurrency,
      lockMs: policy.lockMs,
      metrics,
      logger,
    }),
    startStormDigestWorker({
      connection: conn(),
      prefix: config.queuePrefix,
      channels,
      lockMs: policy.lockMs,
      logger,
    }),
    deadman.worker,
    ...(emailDigests ? [emailDigests.start(channels, conn())] : []),
  ];
  // Slack actions exist only with a signing secret (loadConfig then requires ALERTMANAGER_URL).
  if (config.slack.signingSecret)
    workers.push(
      startActionWorker({
        connection: conn(),
        redis: shared,
        prefix: config.queuePrefix,
        slack: registry.slack,
        channels: slackActionChannels(config),
        permission: new SilencePermission(registry.slack.client),
        pagerduty: new Map(
          [...channels].flatMap(([name, c]) => (c instanceof PagerDutyChannel ? [[name, c] as const] : [])),
        ),
        incidents: registry.incidents,
        silences: new SilenceApi(config.alertmanagerUrls),
        metrics,
        logger,
      }),
    );
  for (const w of workers) w.on('error', (err) => logger.warn({ err: err.message }, 'worker error'));
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await deadman.close();
      await digests.close();
      await emailDigests?.close();
      for (const r of connections) r.disconnect();
    },
  };
}
