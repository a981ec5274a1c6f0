import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { clusterPrefix, readRedisSettings } from '../../src/config/redis-settings.js';

const read = (env: Record<string, string>) => {
  const problems: string[] = [];
  const settings = readRedisSettings(env, problems);
  return { settings, problems };
};

test('Sentinel: the sentinels, the primary name and both passwords (env or _FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-redis-settings-'));
  writeFileSync(join(dir, 'sentinel-pass'), 's3ntinel\n');
  const { settings, problems } = read({
    REDIS_SENTINELS: '10.0.0.1:26379, sentinel-2.example:26380,[::1]:26381',
    REDIS_SENTINEL_NAME: 'mymaster',
    REDIS_PASSWORD: 'pa55',
    REDIS_SENTINEL_PASSWORD_FILE: join(dir, 'sentinel-pass'),
    REDIS_WAIT_REPLICAS: '2',
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.topology, {
    kind: 'sentinel',
    name: 'mymaster',
    sentinels: [
      { host: '10.0.0.1', port: 26379 },
      { host: 'sentinel-2.example', port: 26380 },
      { host: '::1', port: 26381 },
    ],
  });
  assert.equal(settings.password, 'pa55');
  assert.equal(settings.sentinelPassword, 's3ntinel');
  assert.equal(settings.waitReplicas, 2);
});

test('bad Redis settings are each a problem, and no password is echoed', () => {
  const { problems } = read({
    REDIS_SENTINELS: '10.0.0.1,10.0.0.2:99999',
    REDIS_CLUSTER_NODES: 'a:1',
    REDIS_WAIT_REPLICAS: 'yes',
    REDIS_PASSWORD_FILE: '/nonexistent/redis-pass',
  });
  assert.deepEqual(problems, [
    'env REDIS_SENTINELS, REDIS_CLUSTER_NODES: set only one of them',
    'env REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the monitored primary, e.g. mymaster)',
    'env REDIS_SENTINELS: "10.0.0.1" is not host:port',
    'env REDIS_SENTINELS: "10.0.0.2:99999" is not host:port',
    'env REDIS_PASSWORD_FILE: cannot read /nonexistent/redis-pass (ENOENT)',
    'env REDIS_WAIT_REPLICAS: must be auto or a number of replicas (0 turns the wait off)',
  ]);
  assert.deepEqual(read({ REDIS_URL: 'http://redis:6379' }).problems, [
    'env REDIS_URL: protocol must be redis: or rediss:',
  ]);
  assert.deepEqual(read({ REDIS_CLUSTER_NODES: ' , ' }).problems, [
    'env REDIS_CLUSTER_NODES: list at least one host:port',
  ]);
  assert.deepEqual(read({ REDIS_SENTINEL_NAME: 'mymaster' }).problems, [
    'env REDIS_SENTINEL_NAME: only means something with REDIS_SENTINELS',
  ]);
  const withSecretInUrl = read({ REDIS_URL: 'redis//:hunter2@x' }).problems;
  assert.deepEqual(withSecretInUrl, ['env REDIS_URL: not a URL']);
});

test('the replication wait is auto by default, and 0 turns it off', () => {
  assert.equal(read({}).settings.waitReplicas, 'auto');
  assert.equal(read({ REDIS_WAIT_REPLICAS: '0' }).settings.waitReplicas, 0);
  assert.equal(read({ REDIS_WAIT_REPLICAS: 'auto' }).settings.waitReplicas, 'auto');
});

test('on a cluster the prefix becomes one hash tag, unless it already has one', () => {
  assert.equal(clusterPrefix('alert-router'), '{alert-router}');
  assert.equal(clusterPrefix('{tenant-a}:alert-router'), '{tenant-a}:alert-router');
  const config = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' });
  assert.equal(config.queuePrefix, '{alert-router}');
  assert.equal(loadConfig({}).queuePrefix, 'alert-router');
  assert.throws(
    () => loadConfig({ REDIS_URL: 'redis://a', REDIS_SENTINELS: 'b:1', REDIS_SENTINEL_NAME: 'm' }),
    (err) => err instanceof ConfigError && err.problems.includes('env REDIS_URL, REDIS_SENTINELS: set only one of them'),
  );
});
