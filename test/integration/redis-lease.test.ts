import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { acquireLease } from '../../src/lib/redis-lease.js';
import { REDIS_URL, sleep } from '../helpers/start-test-router.js';

let redis: Redis;
before(() => {
  redis = new Redis(REDIS_URL);
});
after(() => redis.disconnect());

test('a live holder keeps its lease well past the TTL, and release frees it at once', async () => {
  const key = `ar-test:lease:${randomUUID()}`;
  const release = await acquireLease(redis, key, 300);
  assert.ok(release);
  await sleep(1000);
  assert.equal(await acquireLease(redis, key, 300), undefined, 'still held after 3 x TTL');
  await release();
  const again = await acquireLease(redis, key, 300);
  assert.ok(again, 'free right after release');
  await again();
});

test('a holder that dies (its connection gone) frees the key within the TTL', async () => {
  const key = `ar-test:lease:${randomUUID()}`;
  const doomed = new Redis(REDIS_URL);
  const releaseDead = await acquireLease(doomed, key, 400);
  assert.ok(releaseDead);
  doomed.disconnect();
  assert.equal(await acquireLease(redis, key, 400), undefined, 'held until the TTL runs out');
  await sleep(600);
  const releaseNew = await acquireLease(redis, key, 5000);
  assert.ok(releaseNew, 'free once the dead holder stopped renewing');
  await releaseNew();
});
