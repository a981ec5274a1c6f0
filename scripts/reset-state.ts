/**
 * Deletes alert-router's state (queues and their jobs, outbox entries, Slack message ids,
 * episodes, dead man's switch heartbeats): every key under QUEUE_PREFIX at REDIS_URL, nothing
 * else. Old demo runs otherwise live on in a Redis the stack did not start.
 *
 *   npm run reset                  # shows what would be deleted
 *   npm run reset -- --yes         # deletes it
 *   REDIS_URL=redis://127.0.0.1:6380 QUEUE_PREFIX=staging npm run reset -- --yes
 *
 * Refuses while an alert-router with workers (ROLE=all or worker) is connected with that prefix:
 * deleting a live queue's keys under it corrupts BullMQ's state. An api-only alert-router keeps
 * no named connection, so it cannot be seen here: stop it first.
 */
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runCli } from '../demo/run-cli.js';
import { QUEUE_DELIVERIES, QUEUE_NOTIFICATIONS } from '../src/queue/job-types.js';
import { keysUnder } from '../support/delete-prefix.js';

const USAGE = 'usage: npm run reset -- [--yes]   (REDIS_URL and QUEUE_PREFIX as for alert-router)';

/** The URL without its password, fit to print. */
function shown(redisUrl: string): string {
  const url = new URL(redisUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

/** "notifications 12, outbox 1": key counts by the part after the prefix. */
function summary(keys: string[], prefix: string): string {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const kind = key.slice(prefix.length + 1).split(':')[0] ?? '';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}

/** Workers BullMQ sees on our queues (it names each worker's Redis connection). */
async function runningWorkers(redis: Redis, prefix: string): Promise<number> {
  let total = 0;
  for (const name of [QUEUE_NOTIFICATIONS, QUEUE_DELIVERIES]) {
    // skipMetasUpdate: looking must not write the queue's meta key (it would survive the reset).
    const queue = new Queue(name, { connection: redis, prefix, skipMetasUpdate: true });
    total += await queue.getWorkersCount();
    await queue.close();
  }
  return total;
}

async function main(): Promise<number> {
  let yes: boolean | undefined;
  try {
    ({
      values: { yes },
    } = parseArgs({ args: process.argv.slice(2), strict: true, options: { yes: { type: 'boolean' } } }));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = process.env.QUEUE_PREFIX ?? 'alert-router';
  if (prefix === '') {
    process.stderr.write('error: QUEUE_PREFIX is empty; refusing to delete every key in Redis\n');
    return 2;
  }
  let where: string;
  try {
    where = `${prefix}:* at ${shown(redisUrl)}`;
  } catch {
    process.stderr.write(`error: REDIS_URL is not a URL\n`);
    return 2;
  }
  // A bounded connection attempt: an unreachable Redis is one line, not a retry loop.
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (err) {
      process.stderr.write(`error: cannot reach Redis at ${shown(redisUrl)}: ${(err as Error).message}\n`);
      return 1;
    }
    const workers = await runningWorkers(redis, prefix);
    if (workers > 0) {
      process.stderr.write(
        `error: ${workers} alert-router worker(s) are connected with QUEUE_PREFIX=${prefix}; stop them first (npm run stack:down, or the npm start using it)\n`,
      );
      return 1;
    }
    const keys = await keysUnder(redis, prefix);
    if (keys.length === 0) {
      process.stdout.write(`nothing to delete: no keys under ${where}\n`);
      return 0;
    }
    if (!yes) {
      process.stdout.write(
        `would delete ${keys.length} keys under ${where} (${summary(keys, prefix)}); run again with --yes to delete them\n`,
      );
      return 1;
    }
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    process.stdout.write(`deleted ${keys.length} keys under ${where} (${summary(keys, prefix)})\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

runCli(main);
