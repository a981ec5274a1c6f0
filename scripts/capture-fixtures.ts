/**
 * Captures real Alertmanager webhook (v4) bodies as test fixtures.
 *
 *   npx tsx scripts/capture-fixtures.ts
 *
 * Starts a recording HTTP server and a throwaway `prometheus-alertmanager` (Debian package)
 * pointed at it, posts alerts through Alertmanager's API v2 and saves the webhook bodies
 * byte-for-byte (exactly the bytes on the wire) into test/fixtures/. Also writes
 * test/fixtures/headers.json (request headers, Authorization left out) and
 * test/fixtures/README.md. Everything it starts is stopped and every temp dir removed,
 * also on error or Ctrl-C.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as toYaml } from 'yaml';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');
const AM_BIN = 'prometheus-alertmanager';
const TOKEN = 'test-token';
// Set explicitly so the bodies' externalURL does not carry this machine's hostname/port.
const EXTERNAL_URL = 'http://alertmanager:9093';
const WAIT_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Types: the webhook v4 payload as Alertmanager 0.25 sends it.

interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

interface WebhookBody {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: string;
  groupKey: string;
  truncatedAlerts: number;
}

interface Recorded {
  seq: number;
  receivedAt: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: WebhookBody;
}

interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function log(msg: string): void {
  console.log(`[capture ${new Date().toISOString()}] ${msg}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not get a free port'));
        return;
      }
      const { port } = addr;
      srv.close(() => resolve(port));
    });
  });
}

function generatorURL(expr: string): string {
  return `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;
}

function isoAgo(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}

function alertCounts(b: WebhookBody): { total: number; firing: number; resolved: number } {
  const firing = b.alerts.filter((a) => a.status === 'firing').length;
  return { total: b.alerts.length, firing, resolved: b.alerts.length - firing };
}

function describe(r: Recorded): string {
  const c = alertCounts(r.body);
  return (
    `#${r.seq} ${r.url} receiver=${r.body.receiver} status=${r.body.status} ` +
    `alerts=${c.total} (firing ${c.firing}, resolved ${c.resolved}) bytes=${r.raw.length} groupKey=${r.body.groupKey}`
  );
}

// ---------------------------------------------------------------------------------------------
// Recording webhook server.

class Recorder {
  readonly posts: Recorded[] = [];
  readonly server: http.Server;
  readonly problems: string[] = [];
  private waiters: Array<() => void> = [];

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (req.method !== 'POST') {
          res.writeHead(405).end();
          return;
        }
        let body: WebhookBody;
        try {
          body = JSON.parse(raw.toString('utf8')) as WebhookBody;
        } catch (err) {
          this.problems.push(`non-JSON POST to ${req.url ?? '?'}: ${String(err)}`);
          res.writeHead(400).end();
          return;
        }
        const rec: Recorded = {
          seq: this.posts.length + 1,
          receivedAt: new Date().toISOString(),
          method: req.method,
          url: req.url ?? '',
          headers: req.headers,
          raw,
          body,
        };
        const auth = req.headers.authorization;
        if (auth !== `Bearer ${TOKEN}`) {
          this.problems.push(
            `POST #${rec.seq} has Authorization ${JSON.stringify(auth)}, expected "Bearer ${TOKEN}"`,
          );
        }
        this.posts.push(rec);
        log(`webhook ${describe(rec)}`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        const ws = this.waiters;
        this.waiters = [];
        ws.forEach((w) => w());
      });
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        const addr = this.server.address();
        if (addr === null || typeof addr === 'string') reject(new Error('no address'));
        else resolve(addr.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** Resolves with the first recorded POST (seq > afterSeq) matching pred. */
  async waitFor(
    what: string,
    pred: (b: WebhookBody) => boolean,
    afterSeq = 0,
    timeoutMs = WAIT_TIMEOUT_MS,
  ): Promise<Recorded> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.posts.find((p) => p.seq > afterSeq && pred(p.body));
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  get lastSeq(): number {
    return this.posts.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Alertmanager process.

class Alertmanager {
  private proc: ChildProcess | undefined;
  private exited = false;
  readonly baseURL: string;

  constructor(
    private readonly configFile: string,
    private readonly storageDir: string,
    private readonly port: number,
    private readonly logFile: string,
  ) {
    this.baseURL = `http://127.0.0.1:${port}`;
  }

  get args(): string[] {
    return [
      `--config.file=${this.configFile}`,
      `--storage.path=${this.storageDir}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      `--web.external-url=${EXTERNAL_URL}`,
      '--cluster.listen-address=',
    ];
  }

  async start(): Promise<void> {
    const out = createWriteStream(this.logFile);
    const proc = spawn(AM_BIN, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout?.pipe(out);
    proc.stderr?.pipe(out);
    proc.on('exit', (code, signal) => {
      this.exited = true;
      if (code !== 0 && signal === null) log(`alertmanager exited with code ${String(code)}`);
    });
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', () => resolve());
      proc.once('error', reject);
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`alertmanager exited during startup, log:\n${await this.logTail()}`);
      try {
        const res = await fetch(`${this.baseURL}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`alertmanager not ready after 20 s, log:\n${await this.logTail()}`);
  }

  async postAlerts(alerts: PostableAlert[]): Promise<void> {
    const res = await fetch(`${this.baseURL}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    if (!res.ok) throw new Error(`POST /api/v2/alerts -> ${res.status}: ${await res.text()}`);
  }

  async logTail(lines = 40): Promise<string> {
    try {
      return (await readFile(this.logFile, 'utf8')).split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || this.exited || proc.pid === undefined) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timedOut = await Promise.race([gone.then(() => false), sleep(5_000).then(() => true)]);
    if (timedOut && !this.exited) {
      proc.kill('SIGKILL');
      await gone;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Alert definitions.

function runbook(alertname: string): string {
  return `http://localhost:8080/runbooks/${alertname}`;
}

const HIGH_ERROR_RATE_EXPR =
  'sum by (service, instance, job) (rate(http_requests_total{service="inference-gateway",code=~"5.."}[5m])) / ' +
  'sum by (service, instance, job) (rate(http_requests_total{service="inference-gateway"}[5m])) > 0.05';

function highErrorRate(startsAt: string, endsAt?: string): PostableAlert {
  return {
    labels: {
      alertname: 'HighErrorRate',
      severity: 'critical',
      service: 'inference-gateway',
      team: 'ml-platform',
      instance: 'inference-gateway-0:8080',
      job: 'inference-gateway',
    },
    annotations: {
      summary: 'High 5xx error rate on inference-gateway',
      description:
        'inference-gateway-0:8080 is answering more than 5% of requests with a 5xx status over the last 5 minutes.',
      runbook_url: runbook('HighErrorRate'),
    },
    startsAt,
    ...(endsAt !== undefined ? { endsAt } : {}),
    generatorURL: generatorURL(HIGH_ERROR_RATE_EXPR),
  };
}

const HIGH_LATENCY_EXPR =
  'histogram_quantile(0.99, sum by (le, service, instance, job) (rate(http_request_duration_seconds_bucket{service="inference-gateway"}[5m]))) > 2';

function highLatency(i: number, startsAt: string, endsAt?: string): PostableAlert {
  const instance = `inference-gateway-${i}:8080`;
  return {
    labels: {
      alertname: 'HighRequestLatency',
      severity: 'warning',
      service: 'inference-gateway',
      team: 'ml-platform',
      instance,
      job: 'inference-gateway',
    },
    annotations: {
      summary: 'p99 latency above 2s on inference-gateway',
      description: `p99 request latency on ${instance} has been above 2 seconds for 10 minutes.`,
      runbook_url: runbook('HighRequestLatency'),
    },
    startsAt,
    ...(endsAt !== undefined ? { endsAt } : {}),
    generatorURL: generatorURL(HIGH_LATENCY_EXPR),
  };
}

const INSTANCE_DOWN_EXPR = 'up{job="embedding-worker"} == 0';

function instanceDown(i: number, startsAt: string): PostableAlert {
  const instance = `embedding-worker-${i}:9100`;
  return {
    labels: {
      alertname: 'InstanceDown',
      severity: 'warning',
      service: 'embedding-worker',
      team: 'ml-platform',
      instance,
      job: 'embedding-worker',
    },
    annotations: {
      summary: `Instance ${instance} down`,
      description: `${instance} of job embedding-worker has been unreachable for more than 5 minutes.`,
      runbook_url: runbook('InstanceDown'),
    },
    startsAt,
    generatorURL: generatorURL(INSTANCE_DOWN_EXPR),
  };
}

const CONSUMER_LAG_EXPR =
  'sum by (consumergroup, service, instance, job) (kafka_consumergroup_lag{consumergroup="feature-store"}) > 10000';

function consumerLag(startsAt: string): PostableAlert {
  return {
    labels: {
      alertname: 'KafkaConsumerLagHigh',
      severity: 'warning',
      service: 'feature-store',
      team: 'a',
      instance: 'kafka-exporter-0:9308',
      job: 'kafka-exporter',
    },
    annotations: {
      summary: 'Kafka consumer lag high for feature-store',
      description: 'Consumer group feature-store is more than 10000 messages behind.',
      runbook_url: runbook('KafkaConsumerLagHigh'),
    },
    startsAt,
    generatorURL: generatorURL(CONSUMER_LAG_EXPR),
  };
}

function watchdog(startsAt: string): PostableAlert {
  return {
    labels: {
      alertname: 'Watchdog',
      severity: 'none',
      cluster: 'lab',
      prometheus: 'lab/prometheus-0',
    },
    annotations: {
      summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
      description:
        'This is an alert meant to ensure that the entire alerting pipeline is functional. It is always firing, ' +
        'so it should always be firing in Alertmanager and always fire against a receiver.',
      runbook_url: runbook('Watchdog'),
    },
    startsAt,
    generatorURL: generatorURL('vector(1)'),
  };
}

// ---------------------------------------------------------------------------------------------
// Config.

function alertmanagerConfig(hookBase: string, tokenFile: string): string {
  const webhook = (receiver: string): Record<string, unknown> => ({
    url: `${hookBase}/hooks/${receiver}`,
    send_resolved: true,
    http_config: { authorization: { type: 'Bearer', credentials_file: tokenFile } },
  });
  const cfg = {
    route: {
      receiver: 'alert-router',
      group_by: ['alertname', 'service'],
      group_wait: '1s',
      group_interval: '2s',
      repeat_interval: '24h',
      routes: [
        { receiver: 'watchdog-heartbeat', matchers: ['alertname="Watchdog"'] },
        { receiver: 'team.a', matchers: ['team="a"'] },
      ],
    },
    receivers: [
      { name: 'alert-router', webhook_configs: [webhook('alert-router')] },
      { name: 'team.a', webhook_configs: [webhook('team.a')] },
      { name: 'watchdog-heartbeat', webhook_configs: [webhook('watchdog-heartbeat')] },
    ],
  };
  return toYaml(cfg);
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface Fixture {
  file: string;
  rec: Recorded;
  notes: string[];
}

interface Captured {
  fixtures: Fixture[];
  group1000Posts: Recorded[];
}

const isGroup =
  (alertname: string, receiver = 'alert-router') =>
  (b: WebhookBody) =>
    b.receiver === receiver && b.groupLabels['alertname'] === alertname;

async function capture(am: Alertmanager, rec: Recorder): Promise<Captured> {
  const fixtures: Fixture[] = [];

  // 1. firing + 2. resolved
  log('scenario firing/resolved: HighErrorRate');
  const heStart = isoAgo(2 * 60_000);
  await am.postAlerts([highErrorRate(heStart)]);
  const firing = await rec.waitFor(
    'HighErrorRate firing',
    (b) => isGroup('HighErrorRate')(b) && b.status === 'firing',
  );
  fixtures.push({ file: 'firing.json', rec: firing, notes: [] });

  await am.postAlerts([highErrorRate(heStart, isoAgo(1_000))]);
  const resolved = await rec.waitFor(
    'HighErrorRate resolved',
    (b) => isGroup('HighErrorRate')(b) && b.status === 'resolved',
    firing.seq,
  );
  fixtures.push({ file: 'resolved.json', rec: resolved, notes: [] });

  // 3. grouped: 3 firing, then resolve one after the first flush -> mixed notification.
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
  fixtures.push({
    file: 'grouped.json',
    rec: mixed,
    notes: [`preceded by POST #${allFiring.seq} with all 3 firing`],
  });

  // 4. group of 1000, posted in batches of 100.
  log('scenario group-1000: InstanceDown x1000 in batches of 100');
  const idStart = isoAgo(15 * 60_000);
  const before1000 = rec.lastSeq;
  for (let off = 0; off < 1000; off += 100) {
    await am.postAlerts(Array.from({ length: 100 }, (_, k) => instanceDown(off + k, idStart)));
  }
  await rec.waitFor(
    'InstanceDown with 1000 alerts',
    (b) => isGroup('InstanceDown')(b) && b.alerts.length === 1000,
    before1000,
    60_000,
  );
  // Give Alertmanager a few more group_interval ticks in case anything else is sent for the group.
  await sleep(6_000);
  const group1000Posts = rec.posts.filter((p) => p.seq > before1000 && isGroup('InstanceDown')(p.body));
  const last = group1000Posts[group1000Posts.length - 1];
  if (!last || last.body.alerts.length !== 1000)
    throw new Error('last InstanceDown POST does not carry 1000 alerts');
  const largest = Math.max(...group1000Posts.map((p) => p.raw.length));
  if (last.raw.length !== largest) throw new Error('last InstanceDown POST is not the largest one');
  fixtures.push({
    file: 'group-1000.json',
    rec: last,
    notes: [
      `group sent in ${group1000Posts.length} POST(s): ` +
        group1000Posts.map((p) => `${p.body.alerts.length} alerts / ${p.raw.length} bytes`).join(', ') +
        '; this is the last and largest one',
    ],
  });

  // 5. receiver with a dot in its name.
  log('scenario receiver-with-dot: team.a');
  await am.postAlerts([consumerLag(isoAgo(5 * 60_000))]);
  const dot = await rec.waitFor(
    'team.a notification',
    (b) => b.groupLabels['alertname'] === 'KafkaConsumerLagHigh',
  );
  if (dot.body.receiver !== 'team\\.a') {
    throw new Error(
      `expected receiver "team\\\\.a" (regexp-quoted), got ${JSON.stringify(dot.body.receiver)}`,
    );
  }
  fixtures.push({ file: 'receiver-with-dot.json', rec: dot, notes: [] });

  // 6. Watchdog.
  log('scenario watchdog');
  await am.postAlerts([watchdog(isoAgo(60 * 60_000))]);
  const wd = await rec.waitFor('Watchdog notification', isGroup('Watchdog', 'watchdog-heartbeat'));
  fixtures.push({ file: 'watchdog.json', rec: wd, notes: [] });

  return { fixtures, group1000Posts };
}

// ---------------------------------------------------------------------------------------------
// Output.

function checkFixture(f: Fixture): void {
  const b = JSON.parse(f.rec.raw.toString('utf8')) as WebhookBody;
  const fail = (m: string): never => {
    throw new Error(`${f.file}: ${m}`);
  };
  if (b.version !== '4') fail(`version ${b.version}`);
  if (!Array.isArray(b.alerts) || b.alerts.length === 0) fail('no alerts');
  if (b.truncatedAlerts !== 0) fail(`truncatedAlerts ${b.truncatedAlerts}`);
  for (const a of b.alerts) {
    if (a.status === 'firing' && a.endsAt !== '0001-01-01T00:00:00Z')
      fail(`firing alert with endsAt ${a.endsAt}`);
    if (a.status === 'resolved' && a.endsAt.startsWith('0001-')) fail('resolved alert without endsAt');
  }
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

function fmtLabels(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function readme(
  c: Captured,
  versions: { am: string; node: string },
  amArgs: string[],
  config: string,
): string {
  const rows = c.fixtures.map((f) => {
    const b = f.rec.body;
    const n = alertCounts(b);
    return (
      `| \`${f.file}\` | ${f.rec.raw.length} (${kb(f.rec.raw.length)}) | \`${b.receiver}\` | ${b.status} | ` +
      `${n.total} (${n.firing} firing, ${n.resolved} resolved) | ${b.truncatedAlerts} | \`${b.groupKey}\` |`
    );
  });
  const details = c.fixtures.map((f) => {
    const b = f.rec.body;
    const lines = [
      `- **${f.file}**: groupLabels {${fmtLabels(b.groupLabels)}}; commonLabels {${fmtLabels(b.commonLabels)}}.`,
    ];
    for (const n of f.notes) lines.push(`  ${n.charAt(0).toUpperCase()}${n.slice(1)}.`);
    return lines.join('\n');
  });
  const first = c.fixtures[0]?.rec;
  const ua = first?.headers['user-agent'] ?? '?';
  const ct = first?.headers['content-type'] ?? '?';
  return `# Alertmanager webhook fixtures

Real webhook (payload \`version: "4"\`) request bodies, captured from a real Alertmanager by
\`scripts/capture-fixtures.ts\`. **Do not edit them by hand**: re-run the script instead.

Each \`*.json\` file holds the request body **byte for byte** as Alertmanager sent it (one line,
Go \`encoding/json\` output with its trailing newline, \`&\` in generatorURL escaped as \`\\u0026\`),
so the file size equals the request's Content-Length. Use \`jq . file.json\` to read one.
Timestamps and fingerprints are those of the capture run.

## How they were captured

- ${versions.am} (Debian package \`prometheus-alertmanager\`), Node ${versions.node}, captured ${new Date().toISOString().slice(0, 10)}.
- Command: \`npx tsx scripts/capture-fixtures.ts\` (needs \`prometheus-alertmanager\` on PATH; takes ~20 s).
- The script starts a node:http server on a free 127.0.0.1 port that records every POST, then runs
  \`prometheus-alertmanager ${amArgs.map((a) => a.replace(/=\/.*\/([^/]+)$/, '=<tmp>/$1').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<free port>')).join(' ')}\`
  (\`--web.external-url\` is set so \`externalURL\` does not contain the capturing machine's hostname;
  the empty \`--cluster.listen-address=\` disables clustering), posts alerts to \`POST /api/v2/alerts\`
  and waits for the resulting webhooks. Temp dirs and processes are removed/stopped at the end, also on error.
- Alertmanager configuration used (\`<tmp>\` is a temp dir, \`<port>\` the recorder's port):

\`\`\`yaml
${config
  .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:<port>')
  .replace(/credentials_file: .*/g, 'credentials_file: <tmp>/token   # contains: test-token')
  .trimEnd()}
\`\`\`

## Request headers

\`headers.json\` has the method, path and headers of each fixture's request **without** Authorization
(\`User-Agent: ${String(ua)}\`, \`Content-Type: ${String(ct)}\`).

Authorization (kept out of headers.json on purpose): every one of the ${c.fixtures.length + 0} fixture requests, and every
other POST recorded during the run, carried \`Authorization: Bearer test-token\`, i.e. the contents of the
\`http_config.authorization.credentials_file\` (type Bearer). The script fails if any POST lacks it.
\`test-token\` is a dummy value used only for this capture.

## Fixtures

| file | bytes | receiver | status | alerts | truncatedAlerts | groupKey |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

${details.join('\n')}

## Notable fields

- \`version\` is the string \`"4"\`; \`truncatedAlerts\` is always present (0 here: \`max_alerts\` is unset = unlimited).
- \`groupKey\` is \`<route path>:<group labels>\`: the route path is the chain of route matchers from the root
  (\`{}\` for the root route, \`{}/{team="a"}\` for a child route), then the group-by label values, e.g.
  \`{}:{alertname="HighErrorRate", service="inference-gateway"}\`. Labels that an alert lacks are left out
  (Watchdog has no \`service\` label, so its groupLabels only hold \`alertname\`).
- Firing alerts have \`endsAt: "0001-01-01T00:00:00Z"\` (Go's zero time) in the webhook, even though the API
  gives an alert posted without endsAt an endsAt of now + resolve_timeout. Resolved alerts carry the real endsAt.
- The top-level \`status\` is \`firing\` as long as at least one alert in the group fires (see grouped.json,
  which mixes 2 firing and 1 resolved alert); it is \`resolved\` only when all are.
- \`receiver\` is the receiver name **regexp-quoted** (Go \`regexp.QuoteMeta\`): the receiver \`team.a\` arrives as
  the string \`team\\.a\` (written \`"team\\\\.a"\` in the JSON text), see receiver-with-dot.json. Match receivers
  by unquoting, or compare against the quoted form. The webhook URL path is not quoted (\`/hooks/team.a\`).
- Alerts in a body are sorted by Alertmanager, not kept in posting order: by the \`job\` label, then the \`instance\`
  label compared as **strings**, then the whole label set. So group-1000.json runs
  \`embedding-worker-0\`, \`-100\`, \`-101\`, ... \`-109\`, \`-10\`, \`-110\`, ..., and in grouped.json the resolved alert
  sits between the two firing ones.
- \`commonLabels\` / \`commonAnnotations\` only keep pairs shared by every alert in the body (resolved ones included):
  in grouped.json \`instance\` and \`description\` are missing from them, in group-1000.json also \`summary\`.
- Each alert has a \`fingerprint\` (16 hex chars, hash of its label set); it is the same in firing.json and resolved.json.
- Timestamps are Go RFC 3339 with trailing zeros of the fraction dropped, so their width varies
  (e.g. \`...:49.2Z\` next to \`...:37.125Z\`); \`startsAt\` is the value the client posted.

## Alertmanager behaviour worth knowing

- \`group_wait\` is **skipped** when an alert's \`startsAt\` is already older than \`group_wait\`: the new group is
  flushed at once (here within ~20 ms of the API call), since every alert posted here starts in the past.
  That is why the 1,000-alert group first went out with only the few alerts that had arrived by then and the
  full 1,000 followed at the next \`group_interval\` tick (see the group-1000.json note above for this run's split).
- A group is re-sent only when its set of firing/resolved alerts changed, at \`group_interval\` ticks. A resolved
  alert is sent once (with \`send_resolved: true\`) and not repeated; nothing more was sent for a group after its last change.
`;
}

// ---------------------------------------------------------------------------------------------
// Main.

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'am-capture-'));
  const recorder = new Recorder();
  let am: Alertmanager | undefined;
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await am?.stop().catch((e: unknown) => log(`stopping alertmanager failed: ${String(e)}`));
    await recorder.close().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`got ${sig}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const hookPort = await recorder.listen();
    const amPort = await freePort();
    const tokenFile = path.join(tmp, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const configFile = path.join(tmp, 'alertmanager.yml');
    const config = alertmanagerConfig(`http://127.0.0.1:${hookPort}`, tokenFile);
    await writeFile(configFile, config);
    const storage = path.join(tmp, 'data');
    await mkdir(storage);

    am = new Alertmanager(configFile, storage, amPort, path.join(tmp, 'alertmanager.log'));
    log(`recorder on 127.0.0.1:${hookPort}; starting ${AM_BIN} ${am.args.join(' ')}`);
    await am.start();
    log('alertmanager ready');

    let captured: Captured;
    try {
      captured = await capture(am, recorder);
    } catch (err) {
      log(`capture failed; alertmanager log tail:\n${await am.logTail()}`);
      throw err;
    }
    if (recorder.problems.length > 0) throw new Error(`problems:\n${recorder.problems.join('\n')}`);
    captured.fixtures.forEach(checkFixture);

    const versions = {
      am: execFileSync(AM_BIN, ['--version'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? AM_BIN,
      node: process.version,
    };
    if (!existsSync(FIXTURES_DIR)) await mkdir(FIXTURES_DIR, { recursive: true });
    const headers: Record<string, unknown> = {};
    for (const f of captured.fixtures) {
      await writeFile(path.join(FIXTURES_DIR, f.file), f.rec.raw);
      const rest = Object.fromEntries(Object.entries(f.rec.headers).filter(([k]) => k !== 'authorization'));
      headers[f.file] = { method: f.rec.method, path: f.rec.url, headers: rest };
      log(`wrote ${f.file}: ${describe(f.rec)}`);
    }
    await writeFile(path.join(FIXTURES_DIR, 'headers.json'), `${JSON.stringify(headers, null, 2)}\n`);
    await writeFile(path.join(FIXTURES_DIR, 'README.md'), readme(captured, versions, am.args, config));
    log(`done: ${recorder.posts.length} webhook POSTs recorded, all with Authorization: Bearer ${TOKEN}`);
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
