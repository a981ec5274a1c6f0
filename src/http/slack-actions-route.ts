import { Router as expressRouter, type Router } from 'express';
import type { Logger } from 'pino';
import type { ClickQueue } from '../actions/enqueue-click.js';
import { parseClick } from '../actions/parse-click.js';
import { responseUrlAllowed } from '../actions/response-url.js';
import type { Metrics } from '../metrics/metrics.js';
import { HttpError } from './http-error.js';
import { readBody } from './read-body.js';
import { verifySlackSignature } from './slack-signature.js';

export interface SlackActionsDeps {
  readonly signingSecret: string;
  /** SLACK_TEAM_ID: clicks from any other workspace are refused. */
  readonly teamId: string | undefined;
  /** SLACK_API_URL: a response_url may point there as well as at hooks.slack.com. */
  readonly slackApiUrl: string;
  readonly clicks: ClickQueue;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** Interaction payloads hold the whole message they came from: 50 blocks of up to 3,000 characters, escaped. */
const BODY_LIMIT = 1024 * 1024;

/**
 * POST /slack/actions, Slack's interactivity Request URL. Verifies the signature before reading
 * anything else, queues the click and answers 200 at once: Slack shows the user an error after 3
 * seconds (https://api.slack.com/interactivity/handling#acknowledgment_response), and Alertmanager
 * or PagerDuty may take longer than that. Mounted only when SLACK_SIGNING_SECRET is set; without
 * it the path is 404.
 */
export function slackActionsRoute(deps: SlackActionsDeps): Router {
  const router = expressRouter();
  const count = (result: string): void => deps.metrics.slackActionRequests.inc({ result });
  router.post('/slack/actions', async (req, res) => {
    const body = await readBody(req, BODY_LIMIT);
    const bad = verifySlackSignature(
      deps.signingSecret,
      req.headers['x-slack-signature'],
      req.headers['x-slack-request-timestamp'],
      body,
      Date.now(),
    );
    if (bad) {
      count('bad_signature');
      // A wrong secret or a skewed clock looks like this from the outside: say which, never what was sent.
      deps.logger.warn({ reason: bad, from: req.socket.remoteAddress }, 'slack action request refused');
      throw new HttpError(401, 'bad_signature', bad);
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      count('invalid');
      throw new HttpError(415, 'unsupported_media_type', 'expected application/x-www-form-urlencoded');
    }
    const click = parseClick(
      new URLSearchParams(body.toString('utf8')).get('payload'),
      Date.now(),
      deps.teamId,
    );
    if (click.status === 'wrong_team') {
      count('wrong_team');
      deps.logger.warn({ from: req.socket.remoteAddress }, 'slack action from another workspace refused');
      throw new HttpError(403, 'wrong_team', 'this alert-router serves another Slack workspace');
    }
    if (click.status === 'invalid') {
      count('invalid');
      throw new HttpError(400, 'invalid_payload', click.reason);
    }
    if (click.status === 'ignored') {
      // A link button or another kind of interaction: Slack wants its 200, there is nothing to do.
      count('ignored');
      res.status(200).end();
      return;
    }
    const responseUrl =
      click.responseUrl && responseUrlAllowed(click.responseUrl, deps.slackApiUrl)
        ? click.responseUrl
        : undefined;
    if (click.responseUrl && !responseUrl)
      deps.logger.warn({ clickId: click.job.clickId }, "response_url not followed: not Slack's");
    const { duplicate } = await deps.clicks.enqueue(click.job, responseUrl).catch((err: unknown) => {
      count('unavailable');
      throw err;
    });
    count(duplicate ? 'duplicate' : 'queued');
    res.status(200).end();
  });
  return router;
}
