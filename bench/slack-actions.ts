// Slack actions benchmark: click to silence with a real Alertmanager, and the interactivity
// endpoint's answer time under concurrent clicks. Run alone with `npx tsx bench/slack-actions.ts`,
// or as part of `npm run bench`.
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
import { startAlertmanager } from '../support/alertmanager-server.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait.js';
import { startFakeSlack, type SlackRequest } from '../support/fake-slack.js';
import { click } from '../support/slack-click.js';

const CLICKS = 20;
const CONCURRENT = 50;
const ROUNDS = 5;
const SECRET = 'bench-signing-secret';

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const ms = (n: number): number => Math.round(n * 10) / 10;

/**
 * 21 alert groups through a real Alertmanager to alert-router and a local Slack; then, one at a
 * time, Silence 1h on 20 of them, timing the click until Alertmanager lists the silence (polled
 * every 5 ms) and until the message shows it; then 5 rounds of 50 simultaneous Acknowledge clicks
 * on the last, timing each HTTP answer (what Slack waits for, 3 s at most).
 */
export async function runSlackActionsBench(): Promise<Record<string, number | string>> {
  const slack = await startFakeSlack();
  const amPort = await freePort();
  const file = join(tmpdir(), `ar-bench-actions-${process.pid}.yml`);
  writeFileSync(
    file,
    stringify({
      // 21 groups at once: each needs a message of its own to click on, not a storm digest.
      channels: { alerts: { type: 'slack', channel: '#alerts', postIntervalMs: 10, storm: { enabled: false } } },
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
    SLACK_SIGNING_SECRET: SECRET,
    ALERTMANAGER_URL: `http://127.0.0.1:${amPort}`,
  });
  rmSync(file);
  const router = await startAlertRouter(config, { logger: createLogger('error'), port: 0 });
  const am = await startAlertmanager(
    stringify({
      route: { receiver: 'ar', group_by: ['alertname'], group_wait: '1s', group_interval: '1s' },
      receivers: [{ name: 'ar', webhook_configs: [{ url: `${router.url}/webhook/alertmanager` }] }],
    }),
    { port: amPort },
  );
  try {
    const names = Array.from({ length: CLICKS + 1 }, (_, i) => `BenchAlert${i}`);
    await am.postAlerts(names.map((alertname) => ({ labels: { alertname, severity: 'warning' } })));
    const posts = await waitFor(
      () => {
        const top = slack
          .calls('chat.postMessage')
          .filter((r) => r.response && r.body.thread_ts === undefined);
        return top.length === names.length ? top : undefined;
      },
      'a message per group',
      30_000,
    );
    const byName = (name: string): SlackRequest =>
      posts.find((p) => String(p.body.text).includes(`${name}:`) || String(p.body.text).endsWith(name))!;
    const opts = { secret: SECRET, routerUrl: router.url };
    const toSilence: number[] = [];
    const toUpdate: number[] = [];
    for (const name of names.slice(0, CLICKS)) {
      const post = byName(name);
      const t0 = performance.now();
      await click(slack, post, 'ar-silence', opts, '1h');
      await waitFor(
        async () => {
          const list = (await (await fetch(`${am.url}/api/v2/silences`)).json()) as Array<{
            comment: string;
          }>;
          return list.some((s) => s.comment.includes(`"${name}"`));
        },
        `the silence of ${name}`,
        10_000,
        5,
      );
      toSilence.push(performance.now() - t0);
      await waitFor(
        () => JSON.stringify(slack.message(slack.tsOf(post))?.blocks).includes('Silenced for 1h'),
        `the message of ${name}`,
        10_000,
        5,
      );
      toUpdate.push(performance.now() - t0);
    }
    const last = byName(names[CLICKS]!);
    const answers: number[] = [];
    let non200 = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          click(slack, last, 'ar-acknowledge', { ...opts, actionTs: `${round}.${i}` }),
        ),
      );
      for (const r of results) {
        answers.push(r.ms);
        if (r.status !== 200) non200++;
      }
    }
    return {
      clicks: CLICKS,
      click_to_silence_median_ms: ms(percentile(toSilence, 50)),
      click_to_silence_max_ms: ms(Math.max(...toSilence)),
      click_to_message_update_median_ms: ms(percentile(toUpdate, 50)),
      click_to_message_update_max_ms: ms(Math.max(...toUpdate)),
      concurrent_clicks: CONCURRENT,
      rounds: ROUNDS,
      answer_p50_ms: ms(percentile(answers, 50)),
      answer_p99_ms: ms(percentile(answers, 99)),
      answer_max_ms: ms(Math.max(...answers)),
      answers_not_200: non200,
    };
  } finally {
    await am.close();
    await router.close();
    const redis = workerConnection(config.redis);
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await slack.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runSlackActionsBench(), null, 2));
}
