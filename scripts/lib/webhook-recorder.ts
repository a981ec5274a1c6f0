import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookPayloadSchema, type WebhookPayload } from '../../src/alert/webhook-payload.js';
import { waitFor } from '../../support/wait.js';

export interface Recorded {
  readonly seq: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as it came over the wire. */
  readonly raw: Buffer;
  readonly body: WebhookPayload;
}

export function alertCounts(b: WebhookPayload): { total: number; firing: number; resolved: number } {
  const firing = b.alerts.filter((a) => a.status === 'firing').length;
  return { total: b.alerts.length, firing, resolved: b.alerts.length - firing };
}

/** One line about a recorded POST, for the script's log. */
export function summarize(r: Recorded): string {
  const c = alertCounts(r.body);
  return (
    `#${r.seq} ${r.url} receiver=${r.body.receiver} status=${r.body.status} ` +
    `alerts=${c.total} (firing ${c.firing}, resolved ${c.resolved}) bytes=${r.raw.length} groupKey=${r.body.groupKey}`
  );
}

/** The webhook receiver: keeps every POST as received, parsed with the service's own schema. */
export class WebhookRecorder {
  readonly posts: Recorded[] = [];
  /** What makes the capture fail at the end: a body the schema rejects, a missing token. */
  readonly problems: string[] = [];
  private readonly server = createServer((req, res) => void this.record(req, res));

  constructor(
    private readonly token: string,
    private readonly log: (msg: string) => void,
  ) {}

  private async record(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const seq = this.posts.length + 1;
    let parsed: ReturnType<typeof webhookPayloadSchema.safeParse>;
    try {
      parsed = webhookPayloadSchema.safeParse(JSON.parse(raw.toString('utf8')));
    } catch (err) {
      this.problems.push(`POST #${seq} to ${req.url ?? '?'} is not JSON: ${String(err)}`);
      return void res.writeHead(400).end();
    }
    if (!parsed.success) {
      this.problems.push(`POST #${seq} fails the webhook schema: ${parsed.error.message}`);
      return void res.writeHead(400).end();
    }
    if (req.headers.authorization !== `Bearer ${this.token}`)
      this.problems.push(`POST #${seq} has Authorization ${JSON.stringify(req.headers.authorization)}`);
    const rec = { seq, method: req.method, url: req.url ?? '', headers: req.headers, raw, body: parsed.data };
    this.posts.push(rec);
    this.log(`webhook ${summarize(rec)}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  /** The first POST after `afterSeq` whose body matches. */
  waitFor(
    what: string,
    pred: (b: WebhookPayload) => boolean,
    afterSeq = 0,
    timeoutMs = 30_000,
  ): Promise<Recorded> {
    return waitFor(
      () => {
        // A body the schema rejected will never match: stop now with the reason, not at the timeout.
        if (this.problems.length > 0) throw new Error(`while waiting for ${what}:\n${this.problems.join('\n')}`);
        return this.posts.find((p) => p.seq > afterSeq && pred(p.body));
      },
      what,
      timeoutMs,
    );
  }

  get lastSeq(): number {
    return this.posts.length;
  }
}
