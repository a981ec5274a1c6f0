import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StormGroupEntry, StormView } from '../../src/channels/slack/storm-types.js';
import {
  parseSort,
  parseStatus,
  sortGroups,
  stormCounts,
  stormJson,
} from '../../src/storms-web/storm-page-data.js';
import { stormIndexHtml, stormNotFoundHtml, stormPageHtml } from '../../src/storms-web/storm-pages.js';

const NOW = Date.parse('2026-11-25T13:00:00Z');
const min = (m: number): number => NOW - m * 60_000;

function group(id: string, over: Partial<StormGroupEntry> = {}): StormGroupEntry {
  return {
    group: id,
    groupKey: `{}:{alertname="${id}"}`,
    title: `Title ${id}`,
    status: 'firing',
    severity: 'warning',
    alertnames: ['HighLatency'],
    labels: { alertname: 'HighLatency', severity: over.severity ?? 'warning', service: `svc-${id}` },
    firingAlerts: 1,
    resolvedAlerts: 0,
    firingSince: min(30),
    joinedAt: min(20),
    receivedAt: min(1),
    ...over,
  };
}

const HOSTILE = `"><script>window.__pwned=1</script><img src=x onerror=alert(1)>'`;

const view: StormView = {
  id: 'storm-payments-1',
  channel: 'payments',
  startedAt: min(40),
  lastJoinAt: min(2),
  groups: [
    group('w-old', { firingSince: min(90) }),
    group('c-resolved', {
      severity: 'critical',
      status: 'resolved',
      firingAlerts: 0,
      resolvedAlerts: 2,
      firingSince: min(200),
    }),
    group('c-new', { severity: 'critical', firingSince: min(5), alertnames: ['DiskFull', 'HighLatency'] }),
    group('c-old', { severity: 'critical', firingSince: min(60), alertnames: ['DiskFull'] }),
    group('none', { severity: '', firingSince: min(300) }),
    group('odd', { severity: 'p2', firingSince: undefined }),
    group('i-firing', { severity: 'info', title: 'Aaa first by name' }),
  ],
};

const ids = (gs: readonly StormGroupEntry[]): string[] => gs.map((g) => g.group);

describe('storm page data', () => {
  it('sorts most severe first, then firing before resolved, then firing longest first', () => {
    assert.deepEqual(ids(sortGroups(view.groups, 'severity')), [
      'c-old',
      'c-new',
      'c-resolved',
      'w-old',
      'i-firing',
      'odd',
      'none',
    ]);
  });

  it('sorts by status, by since and by name', () => {
    assert.deepEqual(ids(sortGroups(view.groups, 'status')), [
      'c-old',
      'c-new',
      'w-old',
      'i-firing',
      'odd',
      'none',
      'c-resolved',
    ]);
    // Oldest first; the group whose start is unknown last.
    assert.deepEqual(ids(sortGroups(view.groups, 'since')), [
      'none',
      'c-resolved',
      'w-old',
      'c-old',
      'i-firing',
      'c-new',
      'odd',
    ]);
    assert.deepEqual(ids(sortGroups(view.groups, 'name')).slice(0, 2), ['i-firing', 'c-new']);
  });

  it('filters by status without changing the order', () => {
    assert.deepEqual(ids(sortGroups(view.groups, 'severity', 'resolved')), ['c-resolved']);
    assert.deepEqual(ids(sortGroups(view.groups, 'severity', 'firing')), [
      'c-old',
      'c-new',
      'w-old',
      'i-firing',
      'odd',
      'none',
    ]);
    assert.equal(view.groups[0]?.group, 'w-old', 'the view itself is left as it was');
  });

  it('reads only the known sort and filter values', () => {
    assert.equal(parseSort('since'), 'since');
    for (const bad of [undefined, '', 'SINCE', ['since', 'name'], 'constructor'])
      assert.equal(parseSort(bad), 'severity');
    assert.equal(parseStatus('resolved'), 'resolved');
    assert.equal(parseStatus('toString'), 'all');
  });

  it('counts groups, alerts, severities and alert names', () => {
    const c = stormCounts(view);
    assert.deepEqual(
      { groups: c.groups, firing: c.firing, resolved: c.resolved, alerts: c.alerts },
      { groups: 7, firing: 6, resolved: 1, alerts: { firing: 6, resolved: 2 } },
    );
    assert.deepEqual(c.bySeverity, [
      { severity: 'critical', groups: 3, firing: 2 },
      { severity: 'warning', groups: 1, firing: 1 },
      { severity: 'info', groups: 1, firing: 1 },
      { severity: 'p2', groups: 1, firing: 1 },
      { severity: '', groups: 1, firing: 1 },
    ]);
    assert.deepEqual(c.topAlertnames, [
      { alertname: 'HighLatency', groups: 6 },
      { alertname: 'DiskFull', groups: 2 },
    ]);
    assert.deepEqual(stormJson(view), { ...view, counts: c });
  });
});

describe('storm page HTML', () => {
  const html = (v: StormView, sort = parseSort(undefined), status = parseStatus(undefined)): string =>
    stormPageHtml(v, { sort, status, now: NOW });

  it('shows the header: channel, state, times, totals, severities, top names', () => {
    const h = html(view);
    assert.match(h, /<h1>Storm · payments <span class="badge firing">ongoing<\/span><\/h1>/);
    assert.match(h, /<dt>Started<\/dt><dd><b>40m 0s ago<\/b> · 12:20 UTC<\/dd>/);
    assert.match(h, /<dt>Last joined<\/dt><dd><b>2m 0s ago<\/b> · 12:58 UTC<\/dd>/);
    assert.doesNotMatch(h, /<dt>Over/);
    assert.match(
      h,
      /<span>groups<\/span><b>7<\/b>.*<span>firing<\/span><b>6<\/b>.*<span>resolved<\/span><b>1<\/b>/,
    );
    assert.match(
      h,
      /sev-critical">critical · 3 · 2 firing<\/span><span class="badge sev-warning">warning · 1<\/span>/,
    );
    assert.match(
      h,
      /<ol class="top"><li><span>HighLatency<\/span><b>6<\/b><\/li><li><span>DiskFull<\/span><b>2<\/b><\/li><\/ol>/,
    );
    const over = html({ ...view, endedAt: min(1) });
    assert.match(over, /badge ok">over/);
    assert.match(over, /<dt>Over<\/dt><dd><b>1m 0s ago<\/b> · 12:59 UTC/);
    // A storm from another day keeps its date.
    assert.match(
      html({ ...view, startedAt: Date.parse('2026-11-24T23:50:00Z') }),
      /<dt>Started<\/dt><dd><b>13h 10m ago<\/b> · 2026-11-24 23:50 UTC/,
    );
  });

  it('lists every group in the asked order, with status, severity, labels and firing time', () => {
    const rows = (h: string): string[] =>
      [...h.matchAll(/<p class="n">Title ([\w-]+)<\/p>/g)].map((m) => m[1] ?? '');
    assert.deepEqual(rows(html(view)), ['c-old', 'c-new', 'c-resolved', 'w-old', 'odd', 'none']);
    assert.deepEqual(rows(html(view, 'since')), ['none', 'c-resolved', 'w-old', 'c-old', 'c-new', 'odd']);
    assert.deepEqual(rows(html(view, 'severity', 'resolved')), ['c-resolved']);
    const h = html(view);
    assert.match(
      h,
      /<li class="f"><p class="h"><span class="badge firing">firing<\/span><span class="badge sev-critical">critical<\/span><\/p><p class="n">Title c-old<\/p><p class="lb"><span><i>service=<\/i>svc-c-old<\/span><\/p><p class="t"><span>for <b>1h 0m<\/b> · 12:00 UTC<\/span><\/p><\/li>/,
    );
    assert.match(
      h,
      /<li class="r"><p class="h"><span class="badge ok">resolved<\/span><span class="badge sev-critical">critical<\/span><small>2 alerts<\/small><\/p><p class="n">Title c-resolved<\/p>.*<span>started <b>3h 20m<\/b> ago · 09:40 UTC<\/span>/,
    );
    assert.match(h, /<span class="badge">p2<\/span><\/p><p class="n">Title odd<\/p>.*start unknown/);
    assert.match(h, /<span class="badge">no severity<\/span><\/p><p class="n">Title none/);
    const mixed = html({ ...view, groups: [group('m', { firingAlerts: 3, resolvedAlerts: 1 })] });
    assert.match(mixed, /<small>3 of 4 alerts firing<\/small>/);
    assert.doesNotMatch(h, /<i>alertname=|<i>severity=/, 'the title and the badge already say these');
  });

  it('marks the current sort and filter, and keeps the other in each link', () => {
    const h = html(view, 'since', 'firing');
    assert.match(
      h,
      /<a href="\/storms\/storm-payments-1\?sort=since&amp;status=firing#groups" aria-current="true">since<\/a>/,
    );
    assert.match(h, /<a href="\/storms\/storm-payments-1\?status=firing#groups">severity<\/a>/);
    assert.match(h, /<a href="\/storms\/storm-payments-1\?sort=since#groups">all 7<\/a>/);
    assert.match(h, /aria-current="true">firing 6<\/a>/);
    assert.equal(h.match(/aria-current="true"/g)?.length, 2);
    assert.match(h, /<h2 id="groups">6 firing of 7 · firing longest first<\/h2>/);
  });

  it('escapes every value from the view and links only http(s) addresses', () => {
    const hostile: StormView = {
      ...view,
      channel: HOSTILE,
      groups: [
        group('x', {
          title: HOSTILE,
          severity: `critical" onclick="x`,
          alertnames: [HOSTILE],
          labels: { alertname: 'X', [HOSTILE]: HOSTILE, instance: 'javascript:alert(1)' },
          runbookUrl: 'javascript:window.__pwned=1',
          silenceUrl: 'data:text/html,<script>alert(1)</script>',
        }),
        group('y', {
          runbookUrl: `https://runbooks.example/a?b="><script>`,
          silenceUrl: 'http://am.example:9093/#/silences/new?filter=%7B%7D',
        }),
      ],
    };
    // The body: the shell's own `<link href="data:,">` icon is not from the view.
    for (const h of [html(hostile), html(hostile, 'name', 'firing')].map((x) =>
      x.slice(x.indexOf('<body>')),
    )) {
      // Every '<' left is one of ours, so no tag of the attacker's and no handler in ours.
      assert.doesNotMatch(h, /<script|<img|<[a-z][^>]*\son\w+=|href="javascript:|href="data:/i);
      assert.match(h, /&lt;script&gt;window.__pwned=1&lt;\/script&gt;/);
      assert.match(
        h,
        /<a href="https:\/\/runbooks.example\/a\?b=%22%3E%3Cscript%3E" rel="noopener noreferrer">Runbook<\/a>/,
      );
      assert.match(
        h,
        /<a href="http:\/\/am.example:9093\/#\/silences\/new\?filter=%7B%7D" rel="noopener noreferrer">Silence…<\/a>/,
      );
      assert.equal(h.match(/>Runbook<\/a>/g)?.length, 1, 'the javascript: runbook is not linked');
      // The attacker's severity neither closes the attribute nor picks a class.
      assert.match(h, /<span class="badge">critical&quot; onclick=&quot;x<\/span>/);
    }
    const nf = stormNotFoundHtml(HOSTILE);
    assert.doesNotMatch(nf, /<script|<img/);
    assert.doesNotMatch(
      stormIndexHtml(
        [{ id: 'a', channel: HOSTILE, startedAt: min(5), lastJoinAt: min(1), groups: 3, firing: 2 }],
        NOW,
      ),
      /<script|<img/,
    );
  });

  it('keeps a thousand-group page lean', () => {
    const big: StormView = {
      ...view,
      groups: Array.from({ length: 1000 }, (_, i) =>
        group(`g${i}`, {
          severity: ['critical', 'warning', 'info'][i % 3] ?? '',
          status: i % 4 === 0 ? 'resolved' : 'firing',
          labels: {
            alertname: 'HighLatency',
            severity: 'x',
            service: `checkout-${i}`,
            namespace: 'payments',
            cluster: 'eu-west-1',
            pod: `checkout-7d9f8-${i}`,
            [`long${i}`]: 'v'.repeat(5000),
          },
          runbookUrl: 'https://alert-router.example/runbooks/HighLatency',
          silenceUrl: `https://alertmanager.example/#/silences/new?filter=${encodeURIComponent(`{alertname="HighLatency",service="checkout-${i}",namespace="payments",cluster="eu-west-1"}`)}`,
        }),
      ),
    };
    const h = html(big);
    assert.equal(h.match(/<li class="[fr]">/g)?.length, 1000);
    assert.ok(!h.includes('v'.repeat(200)), 'a long label value is cut');
    const perRow = Buffer.byteLength(h) / 1000;
    assert.ok(perRow < 1000, `${Math.round(perRow)} bytes per group`);
  });

  it('lists recent storms, and says what a storm is when there is none', () => {
    const h = stormIndexHtml(
      [
        { id: 'b', channel: 'payments', startedAt: min(10), lastJoinAt: min(1), groups: 300, firing: 280 },
        {
          id: 'a',
          channel: 'infra',
          startedAt: min(600),
          lastJoinAt: min(590),
          endedAt: min(580),
          groups: 12,
          firing: 0,
        },
      ],
      NOW,
    );
    assert.deepEqual(
      [...h.matchAll(/href="(\/storms\/[^"]+)"/g)].map((m) => m[1]),
      ['/storms/b', '/storms/a'],
    );
    assert.match(
      h,
      /badge firing">ongoing<\/span><span>300 groups · 280 firing<\/span><\/div><p>started 10m 0s ago · last group joined 1m 0s ago/,
    );
    assert.match(
      h,
      /badge ok">over<\/span><span>12 groups · 0 firing<\/span><\/div><p>over 2026-11-25 03:20 UTC/,
    );
    assert.match(stormIndexHtml([], NOW), /No storm recorded/);
  });
});
