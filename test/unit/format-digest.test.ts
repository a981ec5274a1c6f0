import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestEntry, type DigestItem } from '../../src/channels/email/digest-entry.js';
import { windowEndFor } from '../../src/channels/email/digest-window.js';
import { formatDigest } from '../../src/channels/email/format-digest.js';
import type { Delivery } from '../../src/channels/delivery.js';
import { infoNotification } from '../helpers/info-notification.js';

const links = { publicUrl: 'https://ar.example', alertmanagerUrl: 'https://am.example' };
const at = (hhmmss: string): number => Date.parse(`2026-11-25T${hhmmss}Z`);
const windowStart = at('13:00:00');
const windowEnd = at('13:15:00');
/** The visible text of an HTML part, tags dropped and entities of ours undone. */
const visible = (html: string): string =>
  html
    .replace(/<title>.*?<\/title>/s, '')
    .replace(/<div style="display:none[^>]*>.*?<\/div>/s, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const count = (text: string, needle: string): number => text.split(needle).length - 1;

function item(
  name: string,
  status: 'firing' | 'resolved',
  receivedAt: string,
  notifications = 1,
): DigestItem {
  const d: Delivery = {
    key: `k-${name}-${status}`,
    receivedAt: at(receivedAt),
    channel: 'mail',
    payload: infoNotification(name, status),
  };
  return { ...digestEntry(d, links), notifications };
}

const items = [
  item('QueueBacklogGrowing', 'firing', '13:03:00'),
  item('CertificateExpiresSoon', 'resolved', '13:11:30', 2),
  item('DiskSlowlyFilling', 'firing', '13:07:10'),
];
const mail = formatDigest(
  { channel: 'mail', windowStart, windowEnd, items },
  { domain: 'example.com', now: windowEnd },
);

describe('email digest', () => {
  it('says in the subject how many notifications of which severity, and the window', () => {
    assert.equal(mail.subject, '[alert-router] Digest: 4 info notifications, 13:00-13:15 UTC');
    assert.equal(mail.messageId, `<digest-mail-${windowEnd}@example.com>`);
  });

  it('lists each group once, the most recent first, in both parts', () => {
    const order = ['CertificateExpiresSoon', 'DiskSlowlyFilling', 'QueueBacklogGrowing'];
    for (const part of [mail.text, visible(mail.html)]) {
      const positions = order.map((name) => part.indexOf(`${name} (inference-gateway)`));
      assert.ok(
        positions.every((p) => p >= 0),
        part,
      );
      assert.deepEqual(
        [...positions].sort((a, b) => a - b),
        positions,
        `most recent first: ${part}`,
      );
      for (const name of order) assert.equal(count(part, `${name} needs a look`), 1, part);
      assert.ok(part.includes('3 alert groups, most recent first: 2 firing, 1 resolved.'), part);
    }
  });

  it('states each group as of the digest: status, count, times, updates, labels', () => {
    assert.match(mail.text, /^\* \[RESOLVED\] CertificateExpiresSoon \(inference-gateway\)$/m);
    assert.ok(
      mail.text.includes(
        '  1 alert resolved · resolved at 13:04 UTC after firing for 1 min · 2 notifications in this window\n',
      ),
      mail.text,
    );
    assert.ok(mail.text.includes('  1 alert firing · firing since 13:02 UTC (12 min)\n'), mail.text);
    assert.equal(count(mail.text, 'notifications in this window'), 1, 'only the updated group says so');
    assert.ok(
      mail.text.includes(
        '  service=inference-gateway · team=ml-platform · instance=inference-gateway-0:8080',
      ),
      mail.text,
    );
    assert.match(mail.html, /background:#175cd3;color:#ffffff/, 'an info digest has a blue header');
    assert.match(mail.html, /DIGEST · INFO<\/div>\s*<h1[^>]*>4 info notifications, 13:00-13:15 UTC<\/h1>/);
  });

  it('links each group as its email would: runbooks first, no silence once resolved', () => {
    assert.match(
      mail.text,
      /^ {2}Runbook: https:\/\/ar\.example\/runbooks\/DiskSlowlyFilling\n {2}Alert's runbook: https:\/\/wiki\.example\/DiskSlowlyFilling$/m,
    );
    assert.match(mail.text, /^ {2}Silence: https:\/\/am\.example\/#\/silences\/new\?filter=/m);
    const hrefs = [...mail.html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(
      (m) => `${m[2]} ${m[1]}`,
    );
    assert.equal(hrefs[0], 'Runbook https://ar.example/runbooks/CertificateExpiresSoon');
    assert.deepEqual(
      hrefs.slice(0, 4).map((h) => h.split(' ')[0]),
      ['Runbook', 'Alert&#39;s', 'Source', 'Runbook'],
      'the resolved group has no Silence link',
    );
    assert.equal(count(mail.text, 'Silence: '), 2, 'the firing groups have one each');
  });

  it('escapes what the payload says', () => {
    const hostile = item('Evil', 'firing', '13:05:00');
    const evil: DigestItem = {
      ...hostile,
      title: '<script>alert(1)</script>',
      labels: [['team', '"><img src=x>']],
    };
    const m = formatDigest(
      { channel: 'mail', windowStart, windowEnd, items: [evil] },
      { domain: 'example.com', now: windowEnd },
    );
    assert.doesNotMatch(m.html, /<script>|<img/);
    assert.match(m.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(m.text.includes('<script>alert(1)</script>'), 'the text part is plain text');
  });

  it('bounds what it lists, and says how many more', () => {
    const many = Array.from({ length: 503 }, (_, i) => ({
      ...items[0]!,
      group: `g${i}`,
      receivedAt: windowStart + i,
    }));
    const m = formatDigest(
      { channel: 'mail', windowStart, windowEnd, items: many },
      { domain: 'example.com', now: windowEnd },
    );
    assert.equal(count(m.text, '* [FIRING]'), 500);
    assert.match(m.text, /^\+3 more alert group\(s\) not listed$/m);
    assert.match(m.subject, /503 info notifications/);
  });

  it('aligns windows to the clock, with seconds only when a window is shorter than a minute', () => {
    assert.equal(windowEndFor(at('13:07:00'), 900_000), windowEnd);
    assert.equal(windowEndFor(windowStart, 900_000), windowEnd, 'a window includes its start');
    assert.equal(windowEndFor(windowEnd - 1, 900_000), windowEnd);
    const short = formatDigest(
      { channel: 'mail', windowStart: at('13:00:04'), windowEnd: at('13:00:08'), items: [items[0]!] },
      { domain: 'example.com', now: at('13:00:08') },
    );
    assert.equal(short.subject, '[alert-router] Digest: 1 info notification, 13:00:04-13:00:08 UTC');
    assert.match(short.text, /every 4 seconds\.$/);
    const toTheMinute = formatDigest(
      { channel: 'mail', windowStart: at('13:00:55'), windowEnd: at('13:01:00'), items: [items[0]!] },
      { domain: 'example.com', now: at('13:01:00') },
    );
    assert.match(toTheMinute.subject, / 13:00:55-13:01:00 UTC$/, 'both ends in the same precision');
    assert.match(mail.text, /every 15 minutes\.$/);
  });
});
