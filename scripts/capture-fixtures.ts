/**
 * Captures real Alertmanager webhook (v4) bodies as test fixtures.
 *
 *   npx tsx scripts/capture-fixtures.ts
 *
 * Starts a recording HTTP server and a throwaway `prometheus-alertmanager` (Debian package)
 * pointed at it, posts alerts through Alertmanager's API v2 and saves the webhook bodies
 * byte for byte (exactly the bytes on the wire) into test/fixtures/. Also writes
 * test/fixtures/headers.json (request headers, Authorization and Host left out) and the two marked
 * blocks of test/fixtures/README.md, the Alertmanager configuration and the table of fixtures (the
 * rest of that file is prose kept by hand). Everything it
 * starts is stopped and every temp dir removed, also on error or Ctrl-C.
 */
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebhookPayload } from '../src/alert/webhook-payload.js';
import {
  ALERTMANAGER_BIN,
  startAlertmanager,
  type LocalAlertmanager,
} from '../support/alertmanager-server.js';
import { FIXTURES_DIR } from '../support/fixtures.js';
import { requireBinary } from '../support/require-binary.js';
import { sleep } from '../support/wait.js';
import { consumerLag, highErrorRate, highLatency, instanceDown, watchdog } from './lib/fixture-alerts.js';
import { alertmanagerConfig, configForReadme } from './lib/capture-config.js';
import { assertReadmeMarkers, fixturesTable, updateReadme, type Fixture } from './lib/fixtures-readme.js';
import { alertCounts, summarize, WebhookRecorder } from './lib/webhook-recorder.js';

const TOKEN = 'test-token';
// Set explicitly so the bodies' externalURL does not carry this machine's hostname/port.
const EXTERNAL_URL = 'http://alertmanager:9093';
const README = join(FIXTURES_DIR, 'README.md');

function log(msg: string): void {
  console.log(`[capture ${new Date().toISOString()}] ${msg}`);
}

const isoAgo = (ms: number): string => new Date(Date.now() - ms).toISOString();

const isGroup =
  (alertname: string, receiver = 'alert-router') =>
  (b: WebhookPayload): boolean =>
    b.receiver === receiver && b.groupLabels['alertname'] === alertname;

async function capture(am: LocalAlertmanager, rec: WebhookRecorder): Promise<Fixture[]> {
  log('scenario firing/resolved: HighErrorRate');
  const heStart = isoAgo(2 * 60_000);
  await am.postAlerts([highErrorRate(heStart)]);
  const firing = await rec.waitFor(
    'HighErrorRate firing',
    (b) => isGroup('HighErrorRate')(b) && b.status === 'firing',
  );
  await am.postAlerts([highErrorRate(heStart, isoAgo(1_000))]);
  const resolved = await rec.waitFor(
    'HighErrorRate resolved',
    (b) => isGroup('HighErrorRate')(b) && b.status === 'resolved',
    firing.seq,
  );

  log('scenario grouped: HighRequestLatency x3, then resolve instance 1');
  const hlStart = isoAgo(10 * 60_000);
  await am.postAlerts([0, 1, 2].map((i) => highLatency(i, hlStart)));
  const allFiring = await rec.waitFor(
    'HighRequestLatency with 3 firing',
    (b) => isGroup('HighRequestLatency')(b) && alertCounts(b).firing === 3,
  );
  await am.postAlerts([highLatency(1, hlStart, isoAgo(1_000))]);
  const mixed = await rec.waitFor(
    'HighRequestLatency with 2 firing + 1 resolved',
    (b) => isGroup('HighRequestLatency')(b) && alertCounts(b).firing === 2 && alertCounts(b).resolved === 1,
    allFiring.seq,
  );

  log('scenario group-1000: InstanceDown x1000 in batches of 100');
  const idStart = isoAgo(15 * 60_000);
  const before1000 = rec.lastSeq;
  for (let off = 0; off < 1000; off += 100)
    await am.postAlerts(Array.from({ length: 100 }, (_, k) => instanceDown(off + k, idStart)));
  const full = (b: WebhookPayload): boolean => isGroup('InstanceDown')(b) && b.alerts.length === 1000;
  await rec.waitFor('InstanceDown with 1000 alerts', full, before1000, 60_000);
  // Give Alertmanager a few more group_interval ticks in case anything else is sent for the group.
  await sleep(6_000);
  const group1000 = rec.posts.filter((p) => p.seq > before1000 && isGroup('InstanceDown')(p.body));
  const last = group1000[group1000.length - 1]!;
  if (!full(last.body)) throw new Error('last InstanceDown POST does not carry 1000 alerts');
  if (last.raw.length !== Math.max(...group1000.map((p) => p.raw.length)))
    throw new Error('last InstanceDown POST is not the largest one');

  log('scenario receiver-with-dot: team.a');
  await am.postAlerts([consumerLag(isoAgo(5 * 60_000))]);
  const dot = await rec.waitFor(
    'team.a notification',
    (b) => b.groupLabels['alertname'] === 'KafkaConsumerLagHigh',
  );
  // Alertmanager regexp-quotes the receiver name (Go regexp.QuoteMeta).
  if (dot.body.receiver !== 'team\\.a')
    throw new Error(`expected receiver "team\\\\.a", got ${JSON.stringify(dot.body.receiver)}`);

  log('scenario watchdog');
  await am.postAlerts([watchdog(isoAgo(60 * 60_000))]);
  const wd = await rec.waitFor('Watchdog notification', isGroup('Watchdog', 'watchdog-heartbeat'));

  const split = group1000.map((p) => `${p.body.alerts.length} alerts / ${p.raw.length} bytes`).join(', ');
  return [
    { file: 'firing.json', rec: firing, notes: [] },
    { file: 'resolved.json', rec: resolved, notes: [] },
    { file: 'grouped.json', rec: mixed, notes: [`preceded by POST #${allFiring.seq} with all 3 firing`] },
    {
      file: 'group-1000.json',
      rec: last,
      notes: [`group sent in ${group1000.length} POST(s): ${split}; this is the last and largest one`],
    },
    { file: 'receiver-with-dot.json', rec: dot, notes: [] },
    { file: 'watchdog.json', rec: wd, notes: [] },
  ];
}

/** What the schema does not check but the fixtures promise (test/fixtures/README.md, "Notable fields"). */
function checkFixture({ file, rec: { body } }: Fixture): void {
  const fail = (m: string): never => {
    throw new Error(`${file}: ${m}`);
  };
  if (body.truncatedAlerts !== 0) fail(`truncatedAlerts ${body.truncatedAlerts}`);
  for (const a of body.alerts) {
    if (a.status === 'firing' && a.endsAt !== '0001-01-01T00:00:00Z')
      fail(`firing alert with endsAt ${a.endsAt}`);
    if (a.status === 'resolved' && a.endsAt.startsWith('0001-')) fail('resolved alert without endsAt');
  }
}

async function main(): Promise<void> {
  const amVersion = requireBinary(ALERTMANAGER_BIN, 'prometheus-alertmanager');
  const recorder = new WebhookRecorder(TOKEN, log);
  let am: LocalAlertmanager | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaned ??= (async () => {
      await am?.close().catch((e: unknown) => log(`stopping alertmanager failed: ${String(e)}`));
      await recorder.close();
    })());
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`got ${sig}, cleaning up`);
    // 128 + the signal's number, as a shell reports it.
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const hookBase = await recorder.listen();
    log(`recorder on ${hookBase}; starting ${ALERTMANAGER_BIN}`);
    am = await startAlertmanager(
      (dir) => {
        writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
        return alertmanagerConfig(hookBase, join(dir, 'token'));
      },
      { flags: [`--web.external-url=${EXTERNAL_URL}`] },
    );
    log(`alertmanager ready on ${am.url}`);
    const fixtures = await capture(am, recorder).catch((err: unknown) => {
      log(`capture failed; alertmanager log tail:\n${am?.process.log.slice(-4000)}`);
      throw err;
    });
    if (recorder.problems.length > 0) throw new Error(`problems:\n${recorder.problems.join('\n')}`);
    fixtures.forEach(checkFixture);

    await assertReadmeMarkers(README, ['config', 'fixtures']); // before anything is written
    const headers: Record<string, unknown> = {};
    for (const { file, rec } of fixtures) {
      await writeFile(join(FIXTURES_DIR, file), rec.raw);
      // host carries this run's random port: left out so a re-capture does not change the file.
      const { authorization: _secret, host: _host, ...rest } = rec.headers;
      headers[file] = { method: rec.method, path: rec.url, headers: rest };
      log(`wrote ${file}: ${summarize(rec)}`);
    }
    await writeFile(join(FIXTURES_DIR, 'headers.json'), `${JSON.stringify(headers, null, 2)}\n`);
    await updateReadme(README, { config: configForReadme(), fixtures: fixturesTable(fixtures, amVersion) });
    log(`done: ${recorder.posts.length} webhook POSTs recorded, all with Authorization: Bearer ${TOKEN}`);
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
