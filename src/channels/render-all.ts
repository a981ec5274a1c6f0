import type { NotificationContext } from '../alert/notification-context.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';
import { formatEmail, type EmailMessage } from './email/format-email.js';
import { formatPagerDutyEvent, type PagerDutyEvent } from './pagerduty/format-pagerduty-event.js';
import type { LinkOptions } from '../alert/alert-links.js';
import { formatSlackMessage, type SlackMessage } from './slack/format-slack-message.js';
import { withControls } from './slack/message-controls.js';

/** How messages look and where their links point, for every channel type. */
export interface RenderOptions extends LinkOptions {
  /** Alerts listed one by one before "and N more" (`slack.maxAlertsShown`). */
  readonly maxAlertsShown: number;
  /** Slack actions are on: the Slack message carries its controls, as Slack would show them. */
  readonly interactive?: boolean;
}

/** What every channel type would send for one notification. */
export interface RenderedNotification {
  readonly slack: SlackMessage;
  /** The event as built has no routing_key: that secret is only added at send time. */
  readonly pagerduty: PagerDutyEvent;
  readonly email: EmailMessage;
}

/** The domain of the email Message-IDs shown where no mail is sent (preview, outbox). */
const SHOWN_DOMAIN = 'alert-router.local';

/**
 * Renders a notification for every channel type, exactly as the channels would send it: the
 * preview route answers with this and the outbox stores it.
 * @example renderAll(payload, context, { publicUrl, alertmanagerUrl, maxAlertsShown: 5, key })
 */
export function renderAll(
  payload: WebhookPayload,
  context: NotificationContext | undefined,
  opts: RenderOptions & { readonly key: string },
): RenderedNotification {
  return {
    slack: opts.interactive
      ? // Not a real message: its controls carry no group, and a click on them would be refused.
        withControls(formatSlackMessage(payload, context, opts), {
          ref: 'ar1:preview',
          resolved: payload.status === 'resolved',
          now: Date.now(),
        })
      : formatSlackMessage(payload, context, opts),
    pagerduty: formatPagerDutyEvent(payload, context, opts),
    email: formatEmail(payload, context, { ...opts, domain: SHOWN_DOMAIN }),
  };
}
