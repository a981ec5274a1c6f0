import type { WebhookPayload } from '../alert/webhook-payload.js';
import type { Delivery } from '../channels/delivery.js';

/** Data of one `notifications` job: what Alertmanager sent, as received. No secrets. */
export interface NotificationJobData {
  readonly key: string;
  readonly receivedAt: number;
  readonly requestId: string;
  readonly payload: WebhookPayload;
}

/**
 * Data of one `deliveries` job: one notification to one configured channel. It is the channels'
 * own Delivery, stored as is, so what a channel takes and what Redis holds cannot drift apart;
 * a change to Delivery is a change to the stored job format (jobs in flight during a deploy).
 */
export type DeliveryJobData = Delivery;

export const QUEUE_NOTIFICATIONS = 'notifications';
export const QUEUE_DELIVERIES = 'deliveries';
