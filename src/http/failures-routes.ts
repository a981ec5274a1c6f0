import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import {
  PROBLEM_STATES,
  type FailedJobs,
  type ProblemState,
  type RepairAction,
  type RepairResult,
  type RepairTarget,
  type RepairableQueue,
} from '../queue/failed-jobs.js';
import { pageHeaders } from '../lib/html-page.js';
import { failuresPageHtml } from './failures-page.js';
import { HttpError } from './http-error.js';
import { readBody } from './read-body.js';
import { fromSameOrigin, ourHostNames } from './same-origin.js';

export interface FailuresRouteDeps {
  readonly jobs: FailedJobs;
  /** The configured channels' names: a channel filter or bulk action names one of them. */
  readonly channels: readonly string[];
  readonly publicUrl: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

const QUEUES: readonly RepairableQueue[] = ['deliveries', 'notifications'];
/** Jobs per state on the page and per API answer (each read whole from Redis: data can be large). */
const PAGE_JOBS = 50;
const API_MAX = 100;
/** An action's body is a queue name, an id or a channel: a few hundred bytes at most. */
const ACTION_BODY_LIMIT = 4096;
/** BullMQ job ids as we make them (jobId options and its own counter): nothing else is looked up. */
const JOB_ID = /^[\w:.-]{1,256}$/;

function one<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new HttpError(400, 'invalid_request', `${name} must be one of ${allowed.join(', ')}`);
}

function intParam(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new HttpError(400, 'invalid_request', 'offset and limit are whole numbers');
  return Math.min(n, max);
}

/** The fields of a form post or a JSON body, as strings. */
async function actionFields(req: Request): Promise<Record<string, string>> {
  const raw = (await readBody(req, ACTION_BODY_LIMIT)).toString('utf8');
  const type = req.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'invalid_json', 'the body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(400, 'invalid_request', 'the body must be a JSON object');
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? '1' : '') : String(v)]),
    );
  }
  throw new HttpError(415, 'unsupported_media_type', 'send application/json or a form');
}

/**
 * Repairs are one job (`queue` and `id`) or every failed job of a channel (`queue: deliveries`,
 * `channel`, `all`) or of a queue (`all` alone); anything else is refused before touching a job.
 */
function repairTarget(fields: Record<string, string>, channels: readonly string[]): RepairTarget {
  const queue = one(fields.queue, QUEUES, 'queue');
  const all = fields.all === '1' || fields.all === 'true';
  if (fields.id !== undefined && all)
    throw new HttpError(400, 'invalid_request', 'give either id or all, not both');
  if (fields.id !== undefined) {
    if (!JOB_ID.test(fields.id)) throw new HttpError(400, 'invalid_request', 'id is not a job id');
    return { queue, id: fields.id };
  }
  if (!all)
    throw new HttpError(
      400,
      'invalid_request',
      'give the id of a job, or all (with a channel, for one channel)',
    );
  if (fields.channel === undefined) return { queue, all: true };
  if (queue !== 'deliveries') throw new HttpError(400, 'invalid_request', 'only deliveries have a channel');
  if (!channels.includes(fields.channel))
    throw new HttpError(400, 'unknown_channel', `unknown channel (known: ${channels.join(', ')})`);
  return { queue, channel: fields.channel, all: true };
}

function describe(action: RepairAction, r: RepairResult): string {
  const verb = action === 'retry' ? 'Retried' : 'Discarded';
  const jobs = (n: number): string => `${n} job${n === 1 ? '' : 's'}`;
  return `${verb} ${jobs(r.done)}${r.skipped ? `; ${jobs(r.skipped)} had already moved on` : ''}.`;
}

/**
 * GET /failures (the page), GET /api/failures (the same as JSON: `?queue=deliveries|notifications`,
 * `?state=failed|delayed|waiting`, `?channel=`, `?offset=`, `?limit=` up to 100), GET
 * /api/failures/:queue/:id, and the repairs POST /api/failures/{retry,discard} (JSON) and POST
 * /failures/{retry,discard} (the page's forms; post/redirect/get). Repairs are refused from
 * another site's page, as the outbox's Clear is; read protection covers all of it.
 * @example createApp({ logger, routers: [failuresRoutes({ jobs: new FailedJobs(queues), channels, publicUrl, metrics, logger })] })
 */
export function failuresRoutes(deps: FailuresRouteDeps): Router {
  const router = Router();
  const ourHosts = ourHostNames(deps.publicUrl);
  const channelParam = (value: unknown): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && deps.channels.includes(value)) return value;
    throw new HttpError(400, 'unknown_channel', `unknown channel (known: ${deps.channels.join(', ')})`);
  };

  async function repair(req: Request, action: RepairAction): Promise<RepairResult> {
    if (!fromSameOrigin(req, ourHosts))
      throw new HttpError(
        403,
        'cross_origin',
        'failed jobs are repaired only from their own page or a non-browser client',
      );
    const target = repairTarget(await actionFields(req), deps.channels);
    if ('id' in target && !(await deps.jobs.get(target.queue, target.id)))
      throw new HttpError(
        404,
        'not_found',
        `no failed, delayed or waiting job ${target.id} in ${target.queue}`,
      );
    const result = await deps.jobs.repair(action, target);
    deps.metrics.failedJobRepairs.inc({ queue: target.queue, action }, result.done);
    deps.logger.info({ action, target, ...result }, 'failed jobs repaired');
    return result;
  }

  router.get('/api/failures', async (req, res) => {
    const queue = one(req.query.queue, QUEUES, 'queue', 'deliveries');
    const states: readonly ProblemState[] =
      req.query.state === undefined ? PROBLEM_STATES : [one(req.query.state, PROBLEM_STATES, 'state')];
    const channel = channelParam(req.query.channel);
    const offset = intParam(req.query.offset, 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, intParam(req.query.limit, PAGE_JOBS, API_MAX));
    const [counts, ...pages] = await Promise.all([
      deps.jobs.counts(),
      ...states.map((state) => deps.jobs.list(queue, state, { offset, limit, channel })),
    ]);
    res.set('cache-control', 'no-store').json({
      queue,
      counts,
      ...Object.fromEntries(states.map((s, i) => [s, pages[i]])),
    });
  });

  router.get('/api/failures/:queue/:id', async (req, res) => {
    const queue = one(req.params.queue, QUEUES, 'queue');
    const job = JOB_ID.test(req.params.id) ? await deps.jobs.get(queue, req.params.id) : undefined;
    if (!job) throw new HttpError(404, 'not_found', 'no failed, delayed or waiting job with this id');
    res.set('cache-control', 'no-store').json(job);
  });

  for (const action of ['retry', 'discard'] as const) {
    router.post(`/api/failures/${action}`, async (req, res) => {
      res.json(await repair(req, action));
    });
    router.post(`/failures/${action}`, async (req, res) => {
      const result = await repair(req, action);
      // Post/redirect/get: reloading the page afterwards does not act again.
      res.redirect(303, `/failures?done=${encodeURIComponent(describe(action, result))}`);
    });
  }

  router.get('/failures', async (req, res) => {
    const channel = channelParam(req.query.channel);
    const list = (queue: RepairableQueue, state: ProblemState) =>
      deps.jobs.list(queue, state, {
        offset: 0,
        limit: PAGE_JOBS,
        channel: queue === 'deliveries' ? channel : undefined,
      });
    const [counts, failed, delayed, waiting, notifications] = await Promise.all([
      deps.jobs.counts(),
      list('deliveries', 'failed'),
      list('deliveries', 'delayed'),
      list('deliveries', 'waiting'),
      list('notifications', 'failed'),
    ]);
    // Only our own redirect's sentence is shown (escaped), never arbitrary text from a link.
    const notice =
      typeof req.query.done === 'string' &&
      /^(Retried|Discarded) \d+ jobs?(; \d+ jobs? had already moved on)?\.$/.test(req.query.done)
        ? req.query.done
        : undefined;
    res
      .set(pageHeaders("'self'"))
      .type('html')
      .send(
        failuresPageHtml({
          counts,
          deliveries: { failed, delayed, waiting },
          notifications,
          channel,
          channels: deps.channels,
          notice,
          now: Date.now(),
        }),
      );
  });
  return router;
}
