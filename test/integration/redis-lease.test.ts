import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { acquireLease } from '../../src/lib/redis-lease.js';
import { REDIS_URL } from '../helpers/start-test-router.js';
import { sleep, waitFor } from '../../support/wait.js';

let redis: Redis;
before(() => {
  redis = new Redis(REDIS_URL);
});
after(() => redis.disconnect());

const newKey = (): string => `ar-test:lease:${randomUUID()}`;

test('a live holder keeps its lease well past the TTL, and release frees it at once', async () => {
  const key = newKey();
  const lease = await acquireLease(redis, key, 300);
  assert.ok(lease);
  await sleep(1000);
  assert.equal(await acquireLease(redis, key, 300), undefined, 'still held after 3 x TTL');
  assert.equal(lease.signal.aborted, false);
  await lease.release();
  const again = await acquireLease(redis, key, 300);
  assert.ok(again, 'free right after release');
  await again.release();
});

test('a holder that dies (its connection gone) frees the key within the TTL and learns it lost it', async () => {
  const key = newKey();
  const doomed = new Redis(REDIS_URL);
  const lease = await acquireLease(doomed, key, 400);
  assert.ok(lease);
  doomed.disconnect();
  assert.equal(await acquireLease(redis, key, 400), undefined, 'held until the TTL runs out');
  await waitFor(() => lease.signal.aborted, 'the failed renewal to abort the lease', 2000);
  assert.match(String((lease.signal.reason as Error).message), /renewal failed/);
  await sleep(400);
  const next = await acquireLease(redis, key, 5000);
  assert.ok(next, 'free once the dead holder stopped renewing');
  await next.release();
});

test('a lease whose key was taken over aborts, and its release leaves the new holder alone', async () => {
  const key = newKey();
  const lease = await acquireLease(redis, key, 300);
  assert.ok(lease);
  await redis.set(key, 'someone-else', 'PX', 5000); // as after a lapse and another worker's SET NX
  await waitFor(() => lease.signal.aborted, 'the renewal to notice', 2000);
  assert.match(String((lease.signal.reason as Error).message), /taken over or expired/);
  await lease.release();
  assert.equal(await redis.get(key), 'someone-else');
  await redis.del(key);
});
