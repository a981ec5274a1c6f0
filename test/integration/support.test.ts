import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { deletePrefix, keysUnder } from '../../support/delete-prefix.js';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, onPort } from '../../support/free-port.js';
import { ManagedProcess } from '../../support/managed-process.js';
import { REDIS_URL } from '../helpers/start-test-router.js';

describe('support code the suites stand on', () => {
  it('deletes only its own prefix, even when the prefix has glob characters', async () => {
    const redis = new Redis(REDIS_URL);
    const id = randomUUID().slice(0, 8);
    try {
      await redis.set(`sup-${id}1:other`, 'x'); // what `sup-<id>[1]:*` would match as a glob
      await redis.set(`sup-${id}[1]:mine`, 'x');
      await deletePrefix(redis, `sup-${id}[1]`);
      assert.deepEqual(await keysUnder(redis, `sup-${id}[1]`), []);
      assert.equal(await redis.get(`sup-${id}1:other`), 'x');
      await assert.rejects(deletePrefix(redis, ''), /refusing/);
    } finally {
      await redis.del(`sup-${id}1:other`);
      redis.disconnect();
    }
  });

  it('says why a binary could not start', async () => {
    const p = new ManagedProcess('missing', '/nonexistent/binary', []);
    p.start();
    await assert.rejects(
      p.ready(async () => false, 2_000),
      /missing could not start: spawn \/nonexistent\/binary ENOENT/,
    );
  });

  it('picks free ports below the range outgoing connections take theirs from', async () => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      assert.ok(port >= 1024 && port < low, `${port} is below ${low}`);
      const s = createServer();
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });

  it('starts again on another free port when the one it picked was taken first, and only then', async () => {
    const tried: number[] = [];
    const port = await onPort(undefined, async (p) => {
      tried.push(p);
      if (tried.length === 1) throw new Error(`listen tcp 127.0.0.1:${p}: bind: address already in use`);
      return p;
    });
    assert.equal(tried.length, 2);
    assert.equal(port, tried[1]);
    await assert.rejects(
      onPort(undefined, async () => {
        throw new Error('config file is invalid');
      }),
      /config file is invalid/,
    );
    await assert.rejects(
      onPort(9, async () => {
        throw new Error('bind: address already in use');
      }),
      /already in use/,
      'a given port is not swapped for another',
    );
  });
});
