import type { NotificationContext } from '../alert/notification-context.js';
import type { WebhookPayload } from '../alert/webhook-payload.js';

/** One notification for one configured channel: what an adapter formats and sends. No secrets. */
export interface Delivery {
  /** The notification's content key (notificationKey), shared by all its deliveries. */
  readonly key: string;
  readonly receivedAt: number;
  /** The configured channel's name. */
  readonly channel: string;
  readonly payload: WebhookPayload;
  readonly context?: NotificationContext;
}
