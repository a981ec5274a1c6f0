import { digestHtml } from './digest-html.js';
import { digestView, type DigestBatch, type DigestView } from './digest-view.js';

export interface DigestMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The same for every send of one window: a second send after a crash reads as a duplicate. */
  readonly messageId: string;
}

/** The plain-text part: the same content as the HTML, in the same order. */
function digestText(v: DigestView): string {
  const lines = [v.title, v.overview, ''];
  for (const i of v.items) {
    lines.push(`* [${i.status.toUpperCase()}] ${i.title}`);
    if (i.summary) lines.push(`  ${i.summary}`);
    lines.push(`  ${[i.count, i.when, i.updates].filter(Boolean).join(' · ')}`);
    if (i.labels.length > 0) lines.push(`  ${i.labels.map(([k, val]) => `${k}=${val}`).join(' · ')}`);
    for (const l of i.links) lines.push(`  ${l.text}: ${l.href}`);
    lines.push('');
  }
  if (v.more > 0) lines.push(`+${v.more} more alert group(s) not listed`, '');
  lines.push(`-- \n${v.footer}`);
  return lines.join('\n');
}

/**
 * One email for a window's batch of low-severity notifications: a line per group with its status,
 * counts, time, labels and links (runbook first), in the incident email's style.
 * @example formatDigest({ channel: 'mail', windowStart, windowEnd, items }, { domain: 'example.com', now })
 */
export function formatDigest(
  b: DigestBatch,
  opts: { readonly domain: string; readonly now: number },
): DigestMessage {
  const v = digestView(b, opts.now);
  return {
    subject: v.subject,
    text: digestText(v),
    html: digestHtml(v),
    messageId: `<digest-${b.channel}-${b.windowEnd}@${opts.domain}>`,
  };
}
