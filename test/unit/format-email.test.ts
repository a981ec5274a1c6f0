import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEmail } from '../../src/channels/email/format-email.js';
import { clockTime, humanDuration } from '../../src/channels/email/email-time.js';
import type { NotificationContext } from '../../src/alert/notification-context.js';
import { fixture } from '../../support/fixtures.js';

const links = { publicUrl: 'https://ar.example', alertmanagerUrl: 'https://am.example' };
const opts = (now: number) => ({ ...links, key: 'k', domain: 'example.com', now });
const minutes = (n: number): number => n * 60_000;
/** The visible text of an HTML part, tags dropped and entities of ours undone. */
const visible = (html: string): string =>
  html
    .replace(/<title>.*?<\/title>/s, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const count = (text: string, needle: string): number => text.split(needle).length - 1;

const steps: NotificationContext = {
  available: true,
  alerts: {},
  runbooks: { HighRequestLatency: { summary: 'Latency SLO at risk', firstSteps: ['Check `kubectl top pods`', 'Look at the queue'] } },
};

describe('email', () => {
  it('says the shared labels once and per alert only what differs', () => {
    const p = fixture('grouped');
    const now = Date.parse(p.alerts[0]!.startsAt) + minutes(14);
    const mail = formatEmail(p, steps, opts(now));
    for (const part of [mail.text, visible(mail.html)].map((t) => t.replace(/https?:\/\/\S+/g, '<url>'))) {
      assert.equal(count(part, 'ml-platform'), 1, part);
      for (const i of [0, 1, 2]) assert.equal(count(part, `instance=inference-gateway-${i}:8080`), 1, part);
      assert.doesNotMatch(part, /job=|team=|service=/, 'shared labels are not repeated per alert');
      assert.doesNotMatch(part, /2026-11-25T/, 'no raw ISO times');
      assert.ok(part.includes('Firing since 12:54 UTC (14 min)'), part);
      assert.ok(part.includes('2 of 3 alerts firing'), part);
      assert.ok(part.includes('resolved at 13:04 UTC after 9 min'), part);
      assert.ok(part.includes('Check `kubectl top pods`') || part.includes('Check kubectl top pods'), part);
    }
    assert.match(mail.html, /<code[^>]*>kubectl top pods<\/code>/);
    assert.match(mail.html, /background:#b54708;color:#ffffff/, 'a warning has an amber header');
    const hrefs = [...mail.html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => m[2]);
    assert.deepEqual(hrefs, ['Runbook', 'Silence', 'Source']);
    assert.match(mail.text, /^Runbook: https:\/\/ar\.example\/runbooks\/HighRequestLatency$/m);
    assert.match(mail.text, /^Silence: https:\/\/am\.example\/#\/silences\/new\?filter=/m);
  });

  it('a resolved email says it resolved and how long it fired, without steps or a silence', () => {
    const p = fixture('resolved');
    const known = { ...steps, runbooks: { HighErrorRate: { summary: 'Errors', firstSteps: ['Look at the logs'] } } };
    const mail = formatEmail(p, known, opts(Date.parse(p.alerts[0]!.endsAt) + minutes(1)));
    assert.match(mail.html, /background:#067647;color:#ffffff/, 'green header');
    for (const part of [mail.text, visible(mail.html)]) {
      assert.ok(part.includes('RESOLVED · CRITICAL · HighErrorRate (inference-gateway)') || part.includes('RESOLVED · CRITICAL HighErrorRate (inference-gateway)'), part);
      assert.ok(part.includes('Resolved at 13:04 UTC after firing for 1 min (from 13:02 UTC)'), part);
      assert.doesNotMatch(part, /Silence|First steps|FIRST STEPS/i, part);
    }
    assert.doesNotMatch(mail.html, /silences\/new/);
    assert.deepEqual([...mail.html.matchAll(/<a href="[^"]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]), ['Runbook', 'Source']);
  });

  it('a critical firing email is red, and the text part carries the live values and steps', () => {
    const p = fixture('firing');
    const context: NotificationContext = {
      available: true,
      alerts: { [p.alerts[0]!.fingerprint]: { value: '12.3 %', threshold: '> 5 %', sparkline: '▁▃▇' } },
      runbooks: { HighErrorRate: { firstSteps: ['Roll back the last deploy'] } },
    };
    const mail = formatEmail(p, context, opts(Date.parse(p.alerts[0]!.startsAt) + minutes(3 * 60 + 5)));
    assert.match(mail.html, /background:#b42318;color:#ffffff/);
    assert.ok(mail.text.includes('\n  now: 12.3 % (fires when > 5 %)  ▁▃▇ (1h)\n'), mail.text);
    assert.ok(mail.text.includes('\n  1. Roll back the last deploy\n'), mail.text);
    assert.ok(mail.text.includes('(3 h 5 min)'), mail.text);
    assert.match(mail.html, /<b>12\.3 %<\/b> <span[^>]*>fires when &gt; 5 %<\/span>/);
  });

  it('keeps the links messageLinks returns, and no link that is not http(s)', () => {
    const p = fixture('firing');
    p.externalURL = 'javascript:alert(1)//';
    const mail = formatEmail(p, undefined, { ...opts(Date.now()), alertmanagerUrl: undefined });
    assert.deepEqual([...mail.html.matchAll(/<a href="[^"]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]), ['Runbook', 'Source']);
  });

  it("links what every channel links: the alert's own runbook, its dashboard, Grafana's by uid", () => {
    const p = fixture('firing');
    p.commonAnnotations.runbook_url = 'https://wiki.example/HighErrorRate';
    p.commonAnnotations.dashboard_url = 'https://grafana.example/d/abc';
    const ctx: NotificationContext = {
      available: true,
      alerts: {},
      runbooks: { HighErrorRate: { firstSteps: [], dashboards: [{ title: 'Service health', uid: 'service-health' }] } },
    };
    const mail = formatEmail(p, ctx, { ...opts(Date.now()), grafanaUrl: 'https://g.example' });
    const buttons = [...mail.html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(buttons.slice(0, 4), [
      'Runbook https://ar.example/runbooks/HighErrorRate',
      "Alert&#39;s runbook https://wiki.example/HighErrorRate",
      'Service health https://g.example/d/service-health',
      'Dashboard https://grafana.example/d/abc',
    ]);
    assert.match(mail.text, /^Links:\nRunbook: https:\/\/ar\.example\/runbooks\/HighErrorRate\nAlert's runbook: https:\/\/wiki\.example\/HighErrorRate\nService health: https:\/\/g\.example\/d\/service-health\n/m);
  });

  it('a resolved alert shows its peak, not a value now', () => {
    const p = fixture('resolved');
    const fp = p.alerts[0]!.fingerprint;
    const ctx: NotificationContext = {
      available: true,
      runbooks: {},
      alerts: { [fp]: { resolved: { firedForSeconds: 120, peak: '5.87 %', peakKind: 'highest' } } },
    };
    const mail = formatEmail(p, ctx, opts(Date.parse(p.alerts[0]!.endsAt) + minutes(1)));
    assert.match(mail.text, /peak: 5\.87 %/);
    assert.match(visible(mail.html), /peak/);
    assert.match(mail.html, /5\.87 %/);
    assert.doesNotMatch(mail.text, /\bnow:/);
  });

  it('times read as a person says them', () => {
    const now = Date.parse('2026-11-25T03:26:00Z');
    assert.equal(clockTime(Date.parse('2026-11-25T03:12:40Z'), now), '03:12 UTC');
    assert.equal(clockTime(Date.parse('2026-11-24T23:50:00Z'), now), '24 Nov 23:50 UTC');
    assert.equal(clockTime(Date.parse('2025-12-31T23:50:00Z'), now), '31 Dec 2025 23:50 UTC');
    assert.equal(clockTime(NaN, now), undefined);
    assert.deepEqual([40_000, minutes(14), minutes(125), minutes(60), minutes(60 * 76)].map(humanDuration), ['40 s', '14 min', '2 h 5 min', '1 h', '3 d 4 h']);
  });

  it('an unparsable or hostile time is left out, not shown raw', () => {
    const p = fixture('firing');
    p.alerts[0]!.startsAt = '<b>not a time</b>';
    const mail = formatEmail(p, undefined, opts(Date.now()));
    assert.doesNotMatch(mail.text + mail.html, /not a time/);
    assert.match(mail.text, /1 alert firing/);
  });
});
