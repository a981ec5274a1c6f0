import type { WebhookPayload } from '../alert/webhook-payload.js';
import type { NotificationContext } from '../alert/notification-context.js';

/** Data of one `notifications` job: what Alertmanager sent, as received. No secrets. */
export interface NotificationJobData {
  readonly key: string;
  readonly receivedAt: number;
  readonly requestId: string;
  readonly payload: WebhookPayload;
}

/** Data of one `deliveries` job: one notification to one configured channel. No secrets. */
export interface DeliveryJobData {
  readonly key: string;
  readonly receivedAt: number;
  readonly channel: string;
  readonly payload: WebhookPayload;
  readonly context?: NotificationContext;
}

export const QUEUE_NOTIFICATIONS = 'notifications';
export const QUEUE_DELIVERIES = 'deliveries';
