// Outbox reads against the webhook: four concurrent GET /api/outbox?limit=200 over large entries,
// and a webhook posted while they are in flight. Run alone with `npx tsx bench/outbox-reads.ts`,
// or as part of `npm run bench`.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workerConnection } from '../src/queue/connections.js';
import { stringify } from 'yaml';
import { OutboxStore } from '../src/channels/outbox/outbox-store.js';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/lib/logger.js';
import { startAlertRouter } from '../src/runtime/start-alert-router.js';
import { deletePrefix } from '../support/delete-prefix.js';
import { fixture } from '../support/fixtures.js';

const ENTRIES = 200;
const ENTRY_BYTES = 400_000;
const READERS = 4;

/** 200 outbox entries of about 400 KB each (a large group's rendered forms), then the race. */
export async function runOutboxReadsBench(): Promise<Record<string, number | string>> {
  const file = join(tmpdir(), `ar-bench-outbox-${process.pid}.yml`);
  writeFileSync(file, stringify({ channels: { outbox: { type: 'outbox' } }, defaultChannels: ['outbox'] }));
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({ ...process.env, ALERT_ROUTER_CONFIG: file, QUEUE_PREFIX: prefix, ROLE: 'api' });
  rmSync(file);
  const router = await startAlertRouter(config, { logger: createLogger('error'), port: 0 });
  const redis = workerConnection(config.redis);
  try {
    const store = new OutboxStore(redis, prefix);
    const blob = Array.from({ length: ENTRY_BYTES / 100 }, (_, i) => `line ${i} `.padEnd(100, 'x'));
    for (let i = 0; i < ENTRIES; i++)
      await store.push({
        at: new Date().toISOString(),
        channel: 'outbox',
        key: `k${i}`,
        status: 'firing',
        alertname: 'Big',
        alerts: 1000,
        rendered: { slack: { blocks: blob }, pagerduty: {}, email: { subject: 's', text: 't' } },
      });
    const rssBefore = process.memoryUsage().rss;
    const reads = Array.from({ length: READERS }, async () => {
      const t = Date.now();
      const res = await fetch(`${router.url}/api/outbox?limit=200`);
      const body = await res.arrayBuffer();
      return { ms: Date.now() - t, bytes: body.byteLength, status: res.status };
    });
    await new Promise((r) => setTimeout(r, 30));
    const payload = fixture('firing');
    payload.groupKey = `${payload.groupKey}/${randomUUID()}`;
    const t = Date.now();
    const hook = await fetch(`${router.url}/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const webhookMs = Date.now() - t;
    const done = await Promise.all(reads);
    const out = {
      readers: READERS,
      entries: ENTRIES,
      entry_kb: ENTRY_BYTES / 1000,
      webhook_status: hook.status,
      webhook_ms: webhookMs,
      read_max_ms: Math.max(...done.map((d) => d.ms)),
      read_mb_each: Math.round(done[0]!.bytes / 1e5) / 10,
      rss_growth_mb: Math.round((process.memoryUsage().rss - rssBefore) / 1e6),
    };
    console.log('outbox reads', JSON.stringify(out));
    return out;
  } finally {
    await router.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runOutboxReadsBench(), null, 2));
}
