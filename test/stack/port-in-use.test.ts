/**
 * `npm start` while something holds its port (the stack, another alert-router): one line naming
 * the port and the variable that moves it, exit 1, no stack trace. The real entry point
 * (src/main.ts) against real Redis, with a listener of this test on the port.
 *
 * Run: node --import tsx --test test/stack/port-in-use.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { deletePrefix } from '../../support/delete-prefix.js';

const REPO = resolve(import.meta.dirname, '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

void test('alert-router on a taken port says which port and PORT, and exits 1', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const port = (taken.address() as { port: number }).port;
  const prefix = `test-port-${randomUUID().slice(0, 8)}`;
  try {
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts'],
        {
          cwd: REPO,
          timeout: 120_000,
          env: { ...process.env, PORT: String(port), REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' },
        },
        (_err, _stdout, stderr) => done({ code: child.exitCode, stderr }),
      );
    });
    assert.equal(result.code, 1);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      `error: port ${port} is already in use (another alert-router, or the stack from npm run stack:up?); set PORT to a free port, e.g. PORT=8081 npm start`,
    ]);
  } finally {
    await new Promise((r) => taken.close(r));
    const redis = new Redis(REDIS_URL);
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
});
