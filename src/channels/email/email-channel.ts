import type { Transporter } from 'nodemailer';
import type { Delivery } from '../delivery.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import { digestEntry } from './digest-entry.js';
import type { EmailDigestStore } from './digest-store.js';
import { windowEndFor, type DigestWindow, type ScheduleDigest } from './digest-window.js';
import { formatDigest } from './format-digest.js';
import { formatEmail } from './format-email.js';

/** SMTP 5xx is a permanent refusal; 4xx and connection trouble are worth another try. */
export function classifySmtpError(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = `smtp: ${e.message ?? String(err)}`;
  if (typeof e.responseCode === 'number' && e.responseCode >= 500)
    return new DeliveryError(message, { retryable: false, cause: err });
  return new DeliveryError(message, { retryable: true, cause: err });
}

/** Where an email channel's digests live and how their sending is scheduled (docs/email-digest.md). */
export interface EmailDigests {
  readonly store: EmailDigestStore;
  readonly schedule: ScheduleDigest;
  /**
   * The channel's `digest:` settings, severities lower-case. Absent: everything is mailed at once;
   * a batch left from before the setting was removed is still sent.
   */
  readonly settings?: { readonly severities: readonly string[]; readonly everyMs: number };
}

/** What sending a window's digest did. */
export interface DigestReceipt {
  readonly sent: boolean;
  readonly groups: number;
  readonly notifications: number;
}

/** A window closed by its digest being sent (a replica's clock ahead) is skipped; ten in a row is a fault. */
const MAX_CLOSED_WINDOWS = 10;

/** Email through nodemailer; messages of one group thread via In-Reply-To/References. */
export class EmailChannel implements Channel {
  readonly kind = 'email' as const;

  constructor(
    readonly name: string,
    private readonly to: readonly string[],
    private readonly transport: Transporter,
    private readonly opts: { from: string; publicUrl: string; alertmanagerUrl: string | undefined },
    private readonly digests?: EmailDigests,
  ) {}

  private get domain(): string {
    return this.opts.from.split('@')[1]?.replace(/[>\s]/g, '') || 'alert-router.local';
  }

  async deliver(d: Delivery, signal: AbortSignal): Promise<DeliveryReceipt> {
    if (signal.aborted) throw new DeliveryError('aborted', { retryable: true });
    const settings = this.digests?.settings;
    if (settings?.severities.includes((d.payload.commonLabels.severity ?? '').toLowerCase()))
      return this.batch(d, settings.everyMs);
    const mail = formatEmail(d.payload, d.context, { ...this.opts, key: d.key, domain: this.domain });
    const sent = await this.send(mail, mail.references);
    return { outcome: 'delivered', detail: sent ?? mail.messageId };
  }

  /** One email to the channel's addresses (threaded under `references` when given); SMTP errors sorted. */
  private async send(
    mail: { subject: string; text: string; html: string; messageId: string },
    references?: string,
  ): Promise<string | undefined> {
    try {
      const info = (await this.transport.sendMail({
        from: this.opts.from,
        to: [...this.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(references ? { inReplyTo: references, references } : {}),
      })) as { messageId?: string };
      return info.messageId;
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  /**
   * Stored in the current window's batch, then the window's send is scheduled: the delivery is
   * done only once both are in Redis, so a fault before that retries the delivery.
   */
  private async batch(d: Delivery, everyMs: number): Promise<DeliveryReceipt> {
    const { store, schedule } = this.digests!;
    const entry = digestEntry(d, this.opts);
    // The window it was received in; one that already ended (a delivery late from retries or a
    // backlog) is not reopened: it joins the current one.
    const now = Date.now();
    let windowEnd = windowEndFor(d.receivedAt, everyMs);
    if (windowEnd <= now) windowEnd = windowEndFor(now, everyMs);
    for (let i = 0; i < MAX_CLOSED_WINDOWS; i++, windowEnd += everyMs) {
      const added = await store.add(this.name, windowEnd, d.key, entry);
      if (added === 'closed') continue;
      await schedule({ channel: this.name, windowEnd, everyMs }, added);
      const at = new Date(windowEnd).toISOString().slice(11, 19);
      return { outcome: 'skipped', detail: `batched into the digest sent at ${at} UTC` };
    }
    throw new DeliveryError(`digest windows up to ${windowEnd} are all closed`, { retryable: true });
  }

  /**
   * Sends a window's digest: closes the window, reads its batch, sends one email, and drops the
   * batch only once SMTP accepted it. A failed send leaves the batch for the retry. A crash between
   * the accept and the drop sends it again, with the same Message-ID.
   */
  async sendDigest(w: DigestWindow, signal: AbortSignal): Promise<DigestReceipt> {
    if (!this.digests) throw new DeliveryError('this email channel keeps no digests', { retryable: false });
    const items = await this.digests.store.close(this.name, w.windowEnd);
    const notifications = items.reduce((n, i) => n + i.notifications, 0);
    if (items.length === 0) return { sent: false, groups: 0, notifications };
    if (signal.aborted) throw new DeliveryError('aborted', { retryable: true });
    const mail = formatDigest(
      { channel: this.name, windowStart: w.windowEnd - w.everyMs, windowEnd: w.windowEnd, items },
      { domain: this.domain, now: Date.now() },
    );
    await this.send(mail);
    await this.digests.store.clear(this.name, w.windowEnd);
    return { sent: true, groups: items.length, notifications };
  }
}
