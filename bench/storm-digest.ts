// Storm benchmark: 300 and 1,000 distinct alert groups within 10 s into one Slack channel at
// Slack's own rate (one message per second), with storm mode on and off. Run alone with
// `npx tsx bench/storm-digest.ts`, or as part of `npm run bench`.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workerConnection } from '../src/queue/connections.js';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/lib/logger.js';
import { startAlertRouter } from '../src/runtime/start-alert-router.js';
import { deletePrefix } from '../support/delete-prefix.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { accountFor, type Accounting } from '../support/storm-accounting.js';
import { stormGroup } from '../support/storm-groups.js';
import { sleep } from '../support/wait.js';

const SPREAD_MS = 10_000;
/** Storm mode off posts one message per second: past this, the rest is projected from the rate. */
const WATCH_MS = 30_000;
const CHANNEL = 'C0123456789';

interface Run {
  readonly accounted_s: number | string;
  readonly top_level_messages: number;
  readonly slack_calls: number;
}

async function stormRun(slack: FakeSlack, n: number, storm: boolean): Promise<Run> {
  const file = join(tmpdir(), `ar-bench-storm-${process.pid}.yml`);
  writeFileSync(
    file,
    stringify({
      channels: { alerts: { type: 'slack', channel: '#alerts', storm: { enabled: storm } } },
      defaultChannels: ['alerts'],
    }),
  );
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    ...process.env,
    ALERT_ROUTER_CONFIG: file,
    QUEUE_PREFIX: prefix,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: slack.url,
    PUBLIC_URL: 'http://alert-router.bench',
  });
  rmSync(file);
  const router = await startAlertRouter(config, { logger: createLogger('error'), port: 0 });
  const redis = workerConnection(config.redis);
  try {
    const run = randomUUID().slice(0, 8);
    const startsAt = new Date().toISOString();
    const groups = Array.from({ length: n }, (_, i) => stormGroup(i, run, startsAt));
    const keys = groups.map((g) => g.groupKey);
    const calls = slack.requests.length;
    const since = Date.now();
    const sent: Promise<Response>[] = [];
    for (let i = 0; i < n; i++) {
      const due = since + (i * SPREAD_MS) / n;
      if (due > Date.now()) await sleep(due - Date.now());
      sent.push(
        fetch(`${router.url}/webhook/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(groups[i]),
        }),
      );
    }
    const answers = await Promise.all(sent);
    if (answers.some((r) => r.status !== 200)) throw new Error('a webhook was not answered 200');
    const last = Date.now();
    let seen: Accounting | undefined;
    while (Date.now() - last < WATCH_MS) {
      seen = await accountFor(slack, router.url, CHANNEL, since, keys);
      if (seen.missing.length === 0) break;
      await sleep(250);
    }
    const done = seen!.missing.length === 0;
    const shown = n - seen!.missing.length;
    // Projected at the rate seen so far: how long the last group would wait without storm mode.
    const elapsed = (Date.now() - since) / 1000;
    const accounted = done
      ? Math.round((Date.now() - last) / 100) / 10
      : `not within ${WATCH_MS / 1000} s: ${shown}/${n} shown; all in ~${Math.round((n * elapsed) / Math.max(1, shown) - SPREAD_MS / 1000)} s`;
    return {
      accounted_s: accounted,
      top_level_messages: seen!.own.length + seen!.digests.length,
      slack_calls: slack.requests.length - calls,
    };
  } finally {
    await router.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
}

/**
 * For 300 and 1,000 groups: seconds from the last webhook until every group is named in a message
 * or listed in the digest, top-level messages, and Slack calls, with storm mode on and off.
 */
export async function runStormBench(): Promise<Record<string, number | string>> {
  const slack = await startFakeSlack();
  const out: Record<string, number | string> = {};
  try {
    for (const n of [300, 1000])
      for (const storm of [true, false]) {
        const r = await stormRun(slack, n, storm);
        const tag = `${n}_storm_${storm ? 'on' : 'off'}`;
        out[`${tag}_accounted_s`] = r.accounted_s;
        out[`${tag}_top_level_messages`] = r.top_level_messages;
        out[`${tag}_slack_calls`] = r.slack_calls;
        console.log(tag, JSON.stringify(r));
      }
  } finally {
    await slack.close();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runStormBench(), null, 2));
}
