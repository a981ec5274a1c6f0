import { Router as expressRouter, type Router } from 'express';
import type { NotificationContext } from '../alert/notification-context.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { renderAll, type RenderOptions } from '../channels/render-all.js';
import type { Router as AlertRouter } from '../routing/route-notification.js';
import type { BodyBudget } from './body-budget.js';
import { HttpError } from './http-error.js';
import { parseWebhook } from './parse-webhook.js';
import { readBody } from './read-body.js';
import { WEBHOOK_BODY_LIMIT } from './webhook-handler.js';
import { isAuthorized, type WebhookAuth } from './webhook-auth.js';

export interface PreviewDeps {
  /** The webhook's own credentials: a preview shows what the router would do with a real post. */
  readonly auth: WebhookAuth;
  readonly render: RenderOptions;
  readonly router: AlertRouter;
  readonly enrich: (payload: WebhookPayload) => Promise<NotificationContext>;
  readonly bodies?: BodyBudget;
}

/**
 * POST /api/preview: takes a webhook body and answers with what every channel would send for it
 * (Slack text and blocks, the PagerDuty event without its routing key, the email), enriched with
 * live context, without sending or enqueuing anything. The tool for trying a new alert or runbook.
 * Same credentials, size limit and validation as the webhook itself.
 * @example curl -H 'content-type: application/json' -d @test/fixtures/firing.json localhost:8080/api/preview
 */
export function previewRoute(deps: PreviewDeps): Router {
  const router = expressRouter();
  router.post('/api/preview', async (req, res) => {
    if (!isAuthorized(req.headers.authorization, deps.auth)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong credentials');
    }
    // Errors go to the app's error middleware, which answers exactly as the webhook does.
    const payload = parseWebhook(
      req.headers['content-type'],
      await readBody(req, WEBHOOK_BODY_LIMIT, deps.bodies),
    );
    const channels = deps.router.route(payload.receiver, payload.commonLabels);
    const context = await deps.enrich(payload);
    const { slack, pagerduty, email } = renderAll(payload, context, { ...deps.render, key: 'preview' });
    res.json({
      channels,
      slack,
      pagerduty,
      email: { subject: email.subject, text: email.text, html: email.html },
      context,
    });
  });
  return router;
}
