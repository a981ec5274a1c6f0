import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { parseWebhook } from './parse-webhook.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import type { Metrics } from '../metrics/metrics.js';
import { receiverLabeler } from '../metrics/receiver-label.js';
import type { NotificationProducer } from '../queue/notification-producer.js';
import type { BodyBudget } from './body-budget.js';
import { errorResponse } from './error-response.js';
import { HttpError } from './http-error.js';
import { readBody } from './read-body.js';
import { sendJson } from './send-json.js';
import { isAuthorized, type WebhookAuth } from './webhook-auth.js';
import type { HeartbeatSink } from '../deadman/heartbeat-sink.js';

export const WEBHOOK_BODY_LIMIT = 10 * 1024 * 1024;

export interface WebhookDeps {
  readonly auth: WebhookAuth;
  /** Receivers the configuration names: each always gets its own metric series. */
  readonly knownReceivers: readonly string[];
  readonly producer: NotificationProducer;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly heartbeats?: HeartbeatSink;
  /** Bounds the bytes of bodies being read at once (shared with the preview route). */
  readonly bodies?: BodyBudget;
}

/**
 * POST /webhook/alertmanager on plain node:http: this is the hot path Alertmanager hits in a storm,
 * and express' per-request cost (about 105 µs, measured with bench/bare-express.ts) would be most of it.
 * 2xx only once Redis has the job; 503 when Redis cannot confirm within the timeout so Alertmanager
 * retries; 4xx only for input that can never be valid.
 */
export function createWebhookHandler(deps: WebhookDeps) {
  const { auth, producer, metrics, logger } = deps;
  const receiverLabel = receiverLabeler(deps.knownReceivers);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) ?? randomUUID();
    let payload: WebhookPayload | undefined;
    try {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      if (!isAuthorized(req.headers.authorization, auth)) {
        metrics.notificationsReceived.inc({ receiver: '', status: '', outcome: 'unauthorized' });
        throw new HttpError(401, 'unauthorized', 'missing or wrong credentials');
      }
      const body = await readBody(req, WEBHOOK_BODY_LIMIT, deps.bodies);
      payload = parseWebhook(req.headers['content-type'], body);
      if (deps.heartbeats?.isHeartbeat(payload)) {
        await deps.heartbeats.record(payload);
        metrics.notificationsReceived.inc({
          receiver: receiverLabel(payload.receiver),
          status: payload.status,
          outcome: 'heartbeat',
        });
        sendJson(res, 200, { status: 'heartbeat' }, { 'x-request-id': requestId });
        return;
      }
      const { key, duplicate } = await producer.enqueue(payload, requestId);
      // `duplicate`: the same content came within the dedup window (the other Alertmanager of an
      // HA pair, a retry) and is already queued. Still a success, so the sender does not retry.
      const outcome = duplicate ? 'duplicate' : 'queued';
      metrics.notificationsReceived.inc({
        receiver: receiverLabel(payload.receiver),
        status: payload.status,
        outcome,
      });
      sendJson(res, 200, { status: outcome, key }, { 'x-request-id': requestId });
    } catch (err) {
      const { error, headers, body } = errorResponse(err);
      if (error.status !== 401) {
        metrics.notificationsReceived.inc({
          receiver: payload ? receiverLabel(payload.receiver) : '',
          status: payload?.status ?? '',
          outcome: error.status >= 500 ? 'unavailable' : 'rejected',
        });
      }
      const log = error.status >= 500 ? logger.error.bind(logger) : logger.warn.bind(logger);
      log(
        { requestId, status: error.status, code: error.code, err: error.cause ?? undefined },
        error.message,
      );
      sendJson(res, error.status, body, { ...headers, 'x-request-id': requestId });
    }
  };
}
