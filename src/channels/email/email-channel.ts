import type { Transporter } from 'nodemailer';
import type { Delivery } from '../delivery.js';
import type { Channel, DeliveryReceipt } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import { formatEmail } from './format-email.js';

/** SMTP 5xx is a permanent refusal; 4xx and connection trouble are worth another try. */
export function classifySmtpError(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = `smtp: ${e.message ?? String(err)}`;
  if (typeof e.responseCode === 'number' && e.responseCode >= 500)
    return new DeliveryError(message, { retryable: false, cause: err });
  return new DeliveryError(message, { retryable: true, cause: err });
}

/** Email through nodemailer; messages of one group thread via In-Reply-To/References. */
export class EmailChannel implements Channel {
  readonly kind = 'email' as const;

  constructor(
    readonly name: string,
    private readonly to: readonly string[],
    private readonly transport: Transporter,
    private readonly opts: { from: string; publicUrl: string; alertmanagerUrl: string | undefined },
  ) {}

  async deliver(d: Delivery, signal: AbortSignal): Promise<DeliveryReceipt> {
    if (signal.aborted) throw new DeliveryError('aborted', { retryable: true });
    const domain = this.opts.from.split('@')[1]?.replace(/[>\s]/g, '') || 'alert-router.local';
    const mail = formatEmail(d.payload, d.context, { ...this.opts, key: d.key, domain });
    try {
      const info = (await this.transport.sendMail({
        from: this.opts.from,
        to: [...this.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        inReplyTo: mail.references,
        references: mail.references,
      })) as { messageId?: string };
      return { outcome: 'delivered', detail: info.messageId ?? mail.messageId };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }
}
