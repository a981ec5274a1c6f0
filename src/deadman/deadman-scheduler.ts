import { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import { runDeadmanCheck, type DeadmanCheckDeps } from './deadman-check.js';
import { stateOf } from './deadman-status.js';

export const QUEUE_DEADMAN = 'deadman';
export const DEADMAN_SCHEDULER_ID = 'deadman-check';

export interface DeadmanScheduler {
  readonly worker: Worker;
  close(): Promise<void>;
}

/**
 * The periodic check as a BullMQ job scheduler: one job per tick however many replicas run (a timer
 * per process would check, and race, once per replica). Every replica upserts the same scheduler,
 * so the last deployed interval wins and no replica owns it. Closing leaves it in place for the
 * others.
 * @example const s = startDeadmanScheduler({ ...checkDeps, prefix: 'alert-router', connection, workerConnection })
 */
export function startDeadmanScheduler(
  deps: DeadmanCheckDeps & {
    readonly prefix: string;
    readonly connection: RedisClient;
    readonly workerConnection: RedisClient;
    /** Called after each successful check (HEARTBEAT_PING_URL); a failed check sends nothing. */
    readonly ping?: () => Promise<void>;
  },
): DeadmanScheduler {
  const { prefix, logger } = deps;
  const queue = new Queue(QUEUE_DEADMAN, { connection: deps.connection, prefix });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'deadman queue error'));
  let closed = false;
  // In the background and retried: start-up must not hang (or fail) while Redis is away.
  const upsert = async (): Promise<void> => {
    while (!closed) {
      try {
        await queue.upsertJobScheduler(
          DEADMAN_SCHEDULER_ID,
          { every: deps.policy.checkIntervalSeconds * 1000 },
          {
            name: 'check',
            opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
          },
        );
        return;
      } catch (err) {
        if (closed) return;
        logger.warn({ err: (err as Error).message }, 'deadman scheduler not registered yet; retrying');
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  };
  void upsert();
  let announced = false;
  const worker = new Worker(
    QUEUE_DEADMAN,
    async () => {
      const records = await runDeadmanCheck(deps);
      await deps.ping?.();
      // Said once per process, at its first check, so a user who runs alert-router without
      // Prometheus knows why nothing pages and what arms it (GET /api/deadman and
      // alert_router_deadman_waiting_for_first_heartbeat keep saying it).
      if (announced) return;
      announced = true;
      const waiting = [...records].filter(([, r]) => stateOf(r) === 'waiting').map(([name]) => name);
      if (waiting.length > 0)
        logger.info(
          { sources: waiting },
          "dead man's switch: waiting for the first heartbeat from these sources; it pages for a source only once it has heard from it (or after its expectFirstWithinSeconds)",
        );
    },
    { connection: deps.workerConnection, prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) =>
    logger.error({ jobId: job?.id, err: err.message }, 'deadman check failed'),
  );
  return {
    worker,
    async close() {
      closed = true;
      await worker.close();
      await queue.close();
    },
  };
}
