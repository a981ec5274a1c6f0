import { Agent, createServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testCert } from './tls.js';

/** One POST /v2/enqueue as received, valid or not. */
export interface PagerDutyRequest {
  readonly body: Record<string, unknown>;
  readonly bytes: number;
  readonly headers: IncomingHttpHeaders;
  readonly status: number;
  readonly at: number;
}

export interface FakePagerDuty {
  /** For PAGERDUTY_EVENTS_URL: `https://127.0.0.1:<port>/v2/enqueue`. */
  readonly eventsUrl: string;
  /** Trusts the fake's self-signed certificate; pass as `pagerdutyAgent`. */
  readonly agent: Agent;
  /** Every received event body, in arrival order (rejected ones included). */
  readonly events: Array<Record<string, unknown>>;
  readonly requests: PagerDutyRequest[];
  /** Answers the next request with this status (and body) instead of validating it. */
  respondNext(status: number, body?: unknown): void;
  close(): Promise<void>;
}

const MAX_BYTES = 512 * 1024;
const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);
const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/** PagerDuty's Events API v2 checks, returning the first problem (its 400 "errors" list). */
function validate(body: Record<string, unknown>, bytes: number): string | undefined {
  if (bytes > MAX_BYTES) return 'Event object exceeds 512 KB';
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
    return "'routing_key' must be a 32 character string";
  if (typeof body.event_action !== 'string' || !ACTIONS.has(body.event_action))
    return "'event_action' is missing or invalid";
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255))
    return "'dedup_key' must be a string of at most 255 characters";
  if (body.event_action !== 'trigger') {
    if (typeof body.dedup_key !== 'string' || body.dedup_key === '') return "'dedup_key' is required";
    return undefined;
  }
  const p = body.payload as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return "'payload' is missing";
  if (typeof p.summary !== 'string' || p.summary.length === 0 || p.summary.length > 1024)
    return "'payload.summary' must be 1 to 1024 characters";
  if (typeof p.source !== 'string' || p.source.length === 0) return "'payload.source' is missing";
  if (typeof p.severity !== 'string' || !SEVERITIES.has(p.severity)) return "'payload.severity' is invalid";
  return undefined;
}

/**
 * A local HTTPS PagerDuty Events API v2 with a throwaway certificate. Valid events get 202
 * `{status:'success', message:'Event processed', dedup_key}`; invalid ones 400 like PagerDuty.
 * @example const pd = await startFakePagerDuty(); startTestRouter(cfg, { PAGERDUTY_EVENTS_URL: pd.eventsUrl }, { pagerdutyAgent: pd.agent })
 */
export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const { key, cert } = testCert();
  const events: Array<Record<string, unknown>> = [];
  const requests: PagerDutyRequest[] = [];
  const scripts: Array<{ status: number; body?: unknown }> = [];
  let dedupSeq = 0;
  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const reply = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v2/enqueue') {
        reply(404, { status: 'not found' });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        reply(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid JSON'] });
        return;
      }
      events.push(body);
      const script = scripts.shift();
      let status: number;
      let payload: unknown;
      if (script) {
        status = script.status;
        payload = script.body ?? { status: 'error', message: `scripted ${status}` };
      } else {
        const problem = validate(body, raw.length);
        status = problem ? 400 : 202;
        payload = problem
          ? { status: 'invalid event', message: 'Event object is invalid', errors: [problem] }
          : {
              status: 'success',
              message: 'Event processed',
              dedup_key: typeof body.dedup_key === 'string' ? body.dedup_key : `generated-${++dedupSeq}`,
            };
      }
      requests.push({ body, bytes: raw.length, headers: req.headers, status, at: Date.now() });
      reply(status, payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ ca: cert, keepAlive: false });
  return {
    eventsUrl: `https://127.0.0.1:${port}/v2/enqueue`,
    agent,
    events,
    requests,
    respondNext(status, body) {
      scripts.push(body === undefined ? { status } : { status, body });
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
