import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it; `body` has JSON-string fields (blocks, ...) parsed back. */
export interface SlackRequest {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
  /** What the fake answered (undefined while hanging). */
  response?: { status: number; body: unknown };
}

/** A scripted answer for the next call of one method. `hang` never answers (until close). */
export interface SlackScript {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly delayMs?: number;
  readonly hang?: boolean;
}

export interface FakeSlack {
  /** For SLACK_API_URL: `http://127.0.0.1:<port>/api/`. */
  readonly url: string;
  readonly requests: SlackRequest[];
  /** Requests of one method, in arrival order. */
  calls(method: string): SlackRequest[];
  /** The ts Slack returned for a request (chat.postMessage / chat.update). */
  tsOf(request: SlackRequest): string;
  respondNext(method: string, response: SlackScript): void;
  /** The message as it stands now (after every chat.update), by ts. */
  message(ts: string): { channel: string; text: unknown; blocks: unknown } | undefined;
  /** A response_url for one click: what alert-router posts there lands in `responses`. */
  responseUrl(id: string): string;
  /** Bodies posted to response_urls (ephemeral notices), in arrival order. */
  readonly responses: Array<{ readonly id: string; readonly body: Record<string, unknown> }>;
  /** Members of a user group, for usergroups.users.list. */
  setUserGroup(id: string, users: readonly string[]): void;
  close(): Promise<void>;
}

export const SLACK_CHANNEL_ID = 'C0123456789';
const CHANNEL_ID = /^[CDG][A-Z0-9]{8,}$/;

// The SDK posts application/x-www-form-urlencoded with arrays/objects JSON-encoded; JSON bodies also work.
function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (
      (v.startsWith('[') || v.startsWith('{')) &&
      (k === 'blocks' || k === 'attachments' || k === 'metadata')
    ) {
      out[k] = JSON.parse(v) as unknown;
    } else out[k] = v;
  }
  return out;
}

/**
 * A local Slack Web API (`POST /api/<method>`) that answers like Slack: chat.postMessage returns the
 * channel *id* and a fresh ts even when given a `#name`; chat.update needs that id and a known ts
 * (a name gives `channel_not_found`, an unknown ts `message_not_found`); no Bearer token is
 * `not_authed`. Scripted answers (429 with Retry-After, ok:false, hangs) override the next call.
 * @example const slack = await startFakeSlack(); env.SLACK_API_URL = slack.url
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const requests: SlackRequest[] = [];
  const scripts = new Map<string, SlackScript[]>();
  const messages = new Map<string, { channel: string; text: unknown; blocks: unknown }>();
  const responses: Array<{ id: string; body: Record<string, unknown> }> = [];
  const userGroups = new Map<string, readonly string[]>();
  let seq = 0;
  const nextTs = (): string => `${1_764_000_000 + ++seq}.000100`;

  const answer = (method: string, body: Record<string, unknown>, headers: IncomingHttpHeaders): unknown => {
    if (!/^Bearer \S+/.test(headers.authorization ?? '')) return { ok: false, error: 'not_authed' };
    const channel = typeof body.channel === 'string' ? body.channel : '';
    switch (method) {
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!body.text && !body.blocks) return { ok: false, error: 'no_text' };
        const id = CHANNEL_ID.test(channel) ? channel : SLACK_CHANNEL_ID;
        if (
          body.thread_ts !== undefined &&
          !messages.has(typeof body.thread_ts === 'string' ? body.thread_ts : JSON.stringify(body.thread_ts))
        )
          return { ok: false, error: 'thread_not_found' };
        const ts = nextTs();
        messages.set(ts, { channel: id, text: body.text, blocks: body.blocks });
        return {
          ok: true,
          channel: id,
          ts,
          message: {
            type: 'message',
            text: body.text,
            blocks: body.blocks,
            ts,
            ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
          },
        };
      }
      case 'chat.update': {
        if (!CHANNEL_ID.test(channel)) return { ok: false, error: 'channel_not_found' };
        const msg = messages.get(String(body.ts));
        if (!msg || msg.channel !== channel) return { ok: false, error: 'message_not_found' };
        messages.set(String(body.ts), { channel, text: body.text, blocks: body.blocks });
        return {
          ok: true,
          channel,
          ts: body.ts,
          text: body.text,
          message: { text: body.text, blocks: body.blocks },
        };
      }
      case 'usergroups.users.list': {
        const users = userGroups.get(String(body.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'auth.test':
        return { ok: true, team: 'T', user: 'alert-router', bot_id: 'B1' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // A response_url (https://api.slack.com/interactivity/handling#message_responses): JSON, no token.
      const response = /^\/response\/([\w-]+)$/.exec(req.url ?? '');
      if (response) {
        try {
          responses.push({
            id: response[1]!,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        } catch {
          res.writeHead(400).end('invalid_payload');
        }
        return;
      }
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      let body: Record<string, unknown>;
      try {
        body = parseBody(req.headers['content-type'], Buffer.concat(chunks).toString('utf8'));
      } catch {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"ok":false,"error":"invalid_form_data"}');
        return;
      }
      const record: SlackRequest = { method, body, headers: req.headers, at: Date.now() };
      requests.push(record);
      const script = scripts.get(method)?.shift();
      if (script?.hang) {
        hanging.add(res);
        return;
      }
      const send = (): void => {
        const status = script?.status ?? 200;
        const payload =
          script?.body !== undefined
            ? script.body
            : status === 429
              ? { ok: false, error: 'ratelimited' }
              : answer(method, body, req.headers);
        record.response = { status, body: payload };
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...script?.headers });
        res.end(JSON.stringify(payload));
      };
      if (script?.delayMs) setTimeout(send, script.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    requests,
    calls: (method) => requests.filter((r) => r.method === method),
    tsOf(request) {
      const ts = (request.response?.body as { ts?: unknown } | undefined)?.ts;
      if (typeof ts !== 'string') throw new Error(`no ts in the answer to ${request.method}`);
      return ts;
    },
    message: (ts) => messages.get(ts),
    responseUrl: (id) => `http://127.0.0.1:${port}/response/${id}`,
    responses,
    setUserGroup(id, users) {
      userGroups.set(id, users);
    },
    respondNext(method, response) {
      const list = scripts.get(method) ?? [];
      list.push(response);
      scripts.set(method, list);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
