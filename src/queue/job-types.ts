import type { WebhookPayload } from '../alert/webhook-payload.js';
import type { Delivery } from '../channels/delivery.js';

/** Data of one `notifications` job: what Alertmanager sent, as received. No secrets. */
export interface NotificationJobData {
  readonly key: string;
  readonly receivedAt: number;
  readonly requestId: string;
  readonly payload: WebhookPayload;
}

/** Data of one `deliveries` job: one notification to one configured channel, as channels take it. */
export type DeliveryJobData = Delivery;

export const QUEUE_NOTIFICATIONS = 'notifications';
export const QUEUE_DELIVERIES = 'deliveries';
