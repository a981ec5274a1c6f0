import type { Delivery } from './delivery.js';

export type ChannelKind = 'slack' | 'pagerduty' | 'email' | 'outbox';

/** What a channel reports back; stored as the job's return value (visible in the queue). */
export interface DeliveryReceipt {
  readonly outcome: 'delivered' | 'skipped';
  readonly detail?: string;
}

/** One configured destination. Adapters format and send; the worker decides what failures mean for the job. */
export interface Channel {
  readonly kind: ChannelKind;
  readonly name: string;
  deliver(delivery: Delivery, signal: AbortSignal): Promise<DeliveryReceipt>;
}
