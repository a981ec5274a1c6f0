import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { errorResponse } from './error-response.js';
import { indexRoute, type IndexInfo } from './index-route.js';
import { readAuth, type ReadAuthOptions } from './read-auth.js';
import { createWebhookHandler, type WebhookDeps } from './webhook-handler.js';

export interface AppDeps {
  readonly logger: Logger;
  /** POST /webhook/alertmanager; absent on ROLE=worker, where the path answers 404. */
  readonly webhook?: WebhookDeps;
  /** Extra express routers (health, metrics, outbox, runbooks, ...), mounted in order. */
  readonly routers: readonly Router[];
  /** What GET / says about this instance (its channels); the page is served either way. */
  readonly index?: IndexInfo;
  /** Who may read what express serves; absent: everyone (as with nothing configured). */
  readonly readAuth?: ReadAuthOptions;
}

/**
 * Builds the request listener without listening, so tests drive it in-process. The webhook is
 * served on plain node:http (the hot path); everything else goes through express.
 * @example http.createServer(createApp(deps)).listen(8080)
 */
export function createApp(deps: AppDeps): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Before every route, so a page added later is protected without remembering to be.
  if (deps.readAuth) app.use(readAuth(deps.readAuth));
  app.use(indexRoute(deps.index));
  for (const r of deps.routers) app.use(r);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const { error, headers, body } = errorResponse(err);
    if (error.status >= 500) deps.logger.error({ err }, 'request failed');
    res.status(error.status).set(headers).json(body);
  };
  app.use(onError);

  const webhook = deps.webhook ? createWebhookHandler(deps.webhook) : undefined;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (webhook && (req.url === '/webhook/alertmanager' || req.url?.startsWith('/webhook/alertmanager?'))) {
      void webhook(req, res);
      return;
    }
    app(req, res);
  };
}
