/**
 * `npm run reset` (scripts/reset-state.ts) against real Redis: it deletes exactly the keys under
 * QUEUE_PREFIX, says what it deleted, asks for --yes first, and refuses while an alert-router
 * worker is connected with that prefix.
 *
 * Run: node --import tsx --test test/stack/reset-state.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, keysUnder } from '../../support/delete-prefix.js';
import { waitFor } from '../../support/wait.js';

const REPO = resolve(import.meta.dirname, '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function reset(prefix: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/reset-state.ts', ...args],
      { cwd: REPO, timeout: 60_000, env: { ...process.env, REDIS_URL, QUEUE_PREFIX: prefix } },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

void describe('npm run reset', () => {
  const prefix = `test-reset-${randomUUID().slice(0, 8)}`;
  // A prefix that starts with ours, and so would match a careless `${prefix}*`.
  const sibling = `${prefix}-other`;
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    await deletePrefix(redis, prefix);
    await deletePrefix(redis, sibling);
    redis.disconnect();
  });

  const seed = async (): Promise<void> => {
    await redis.lpush(`${prefix}:outbox`, '{"id":1}');
    await redis.hset(`${prefix}:deadman:source:prometheus`, 'lastSeen', '1');
    await redis.set(`${prefix}:deliveries:id`, '7');
    await redis.set(`${sibling}:outbox`, 'kept');
  };

  void it('shows what it would delete and deletes nothing without --yes', async () => {
    await seed();
    const r = await reset(prefix, []);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      `would delete 3 keys under ${prefix}:* at ${REDIS_URL} (deadman 1, deliveries 1, outbox 1); run again with --yes to delete them\n`,
    );
    assert.equal((await keysUnder(redis, prefix)).length, 3);
  });

  void it('with --yes deletes exactly the keys under the prefix and says so', async () => {
    const r = await reset(prefix, ['--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `deleted 3 keys under ${prefix}:* at ${REDIS_URL} (deadman 1, deliveries 1, outbox 1)\n`,
    );
    assert.deepEqual(await keysUnder(redis, prefix), []);
    assert.equal(await redis.get(`${sibling}:outbox`), 'kept');
    const again = await reset(prefix, ['--yes']);
    assert.equal(again.stdout, `nothing to delete: no keys under ${prefix}:* at ${REDIS_URL}\n`);
  });

  void it('refuses while an alert-router worker uses the prefix', async () => {
    await seed();
    const worker = new Worker('deliveries', async () => undefined, {
      connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) },
      prefix,
    });
    try {
      await waitFor(() => worker.isRunning(), 'the worker to run', 10_000);
      const r = await reset(prefix, ['--yes']);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `error: 1 alert-router worker(s) are connected with QUEUE_PREFIX=${prefix}; stop them first (npm run stack:down, or the npm start using it)\n`,
      );
      assert.equal(await redis.get(`${prefix}:deliveries:id`), '7', 'nothing deleted');
    } finally {
      await worker.close();
    }
  });
});
