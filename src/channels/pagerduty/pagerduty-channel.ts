import type { Agent } from 'node:https';
import { event } from '@pagerduty/pdjs';
import type { Delivery } from '../delivery.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import { formatPagerDutyEvent } from './format-pagerduty-event.js';
import type { OpenIncidents } from './open-incidents.js';
import { cut } from '../../lib/truncate.js';

export interface PagerDutyOptions {
  /** Full Events API URL, e.g. https://events.eu.pagerduty.com/v2/enqueue. */
  readonly eventsUrl: string;
  readonly publicUrl: string;
  readonly alertmanagerUrl: string | undefined;
  readonly grafanaUrl?: string | undefined;
  /** Lets tests (and private CAs) trust a local TLS server. */
  readonly agent?: Agent;
  readonly timeoutMs?: number;
  /** Where accepted triggers and resolves are recorded, for acknowledgements from Slack. */
  readonly incidents?: OpenIncidents;
}

/**
 * The official client builds `https://<server>/v2/enqueue`, so the configured URL is split into that
 * "server" (host, port and any path prefix): EU accounts and local servers then work too.
 */
export function pdjsServer(eventsUrl: string): string {
  const url = new URL(eventsUrl);
  return `${url.host}${url.pathname.replace(/\/v2\/enqueue\/?$/, '')}`;
}

/** PagerDuty Events API v2 through @pagerduty/pdjs. 202 delivered; 400 permanent; 429/5xx/network retried. */
export class PagerDutyChannel implements Channel {
  readonly kind = 'pagerduty' as const;

  constructor(
    readonly name: string,
    private readonly routingKey: string,
    private readonly opts: PagerDutyOptions,
  ) {}

  async deliver(d: Delivery, signal: AbortSignal): Promise<DeliveryReceipt> {
    const body = formatPagerDutyEvent(d.payload, d.context, this.opts);
    await this.send(body, signal);
    if (body.event_action === 'trigger') await this.opts.incidents?.opened(body.dedup_key, this.name);
    else await this.opts.incidents?.closed(body.dedup_key, this.name);
    return { outcome: 'delivered', detail: `${body.event_action} ${body.dedup_key}` };
  }

  /**
   * Acknowledges the group's incident (Events API v2: only routing_key, event_action and the
   * trigger's dedup_key). PagerDuty ignores an acknowledge of an incident already acknowledged.
   */
  async acknowledge(dedupKey: string, signal: AbortSignal): Promise<void> {
    await this.send({ event_action: 'acknowledge', dedup_key: dedupKey }, signal);
  }

  private async send(body: { event_action: string; dedup_key: string }, signal: AbortSignal): Promise<void> {
    let res: Awaited<ReturnType<typeof event>>;
    try {
      res = await event({
        server: pdjsServer(this.opts.eventsUrl),
        data: { ...body, routing_key: this.routingKey } as Parameters<typeof event>[0]['data'],
        // pdjs waits and retries a 429 itself; keep that short so the queue owns the backoff.
        retryTimeout: 500,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs ?? 15_000)]),
        ...(this.opts.agent ? { agent: this.opts.agent } : {}),
      });
    } catch (err) {
      throw new DeliveryError(`pagerduty request failed: ${(err as Error).message}`, {
        retryable: true,
        cause: err,
      });
    }
    const status = res.status;
    if (status === 202 || status === 200) return;
    const reason = cut(JSON.stringify(res.data ?? {}), 300);
    if (status === 429 || status >= 500)
      throw new DeliveryError(`pagerduty http ${status}: ${reason}`, { retryable: true });
    throw new DeliveryError(`pagerduty rejected the event (http ${status}): ${reason}`, { retryable: false });
  }
}
