import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { isSuperseded, markLatest } from '../../src/queue/latest-notification.js';
import { deletePrefix } from '../../support/delete-prefix.js';
import { REDIS_URL } from '../helpers/start-test-router.js';

test('late news: an older notification of a group is superseded, whatever order the fan-outs finish in; the same notification re-added is not', async () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const n = (key: string, receivedAt: number, groupKey = '{}:{a="1"}') => ({
    key,
    receivedAt,
    payload: { groupKey },
  });
  try {
    // The newer fan-out finishes first: the older one's mark must not move the record back.
    await markLatest(redis, prefix, n('resolved', 2000), ['slack', 'email']);
    await markLatest(redis, prefix, n('firing', 1000), ['slack', 'email']);
    assert.equal(await isSuperseded(redis, prefix, { ...n('firing', 1000), channel: 'slack' }), true);
    assert.equal(await isSuperseded(redis, prefix, { ...n('firing', 1000), channel: 'email' }), true);
    assert.equal(await isSuperseded(redis, prefix, { ...n('resolved', 2000), channel: 'slack' }), false);
    // Another channel, another group: nothing known, nothing skipped.
    assert.equal(await isSuperseded(redis, prefix, { ...n('firing', 1000), channel: 'pagerduty' }), false);
    assert.equal(await isSuperseded(redis, prefix, { ...n('x', 1, '{}:{a="2"}'), channel: 'slack' }), false);
    // A job re-added under its own id with a later time (the dead man's switch's page on the next
    // tick) is still the newest news of its group, not late news of itself.
    await markLatest(redis, prefix, n('deadman-page', 3000), ['pager']);
    await markLatest(redis, prefix, n('deadman-page', 4000), ['pager']);
    assert.equal(await isSuperseded(redis, prefix, { ...n('deadman-page', 3000), channel: 'pager' }), false);
  } finally {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
});
