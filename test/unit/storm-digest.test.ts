import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStormDigest, stormOrder } from '../../src/channels/slack/format-storm-digest.js';
import type { StormGroupEntry, StormView } from '../../src/channels/slack/storm-types.js';

const entry = (i: number, over: Partial<StormGroupEntry> = {}): StormGroupEntry => ({
  group: `g${i}`,
  groupKey: `{}:{alertname="A${i % 12}", service="s${i}"}`,
  title: `A${i % 12}`,
  status: 'firing',
  severity: ['critical', 'warning', 'info'][i % 3]!,
  alertnames: [`A${i % 12}`],
  labels: { alertname: `A${i % 12}`, service: `s${i}`, severity: ['critical', 'warning', 'info'][i % 3]! },
  firingAlerts: 1,
  resolvedAlerts: 0,
  firingSince: 1_796_000_000_000 + i * 1000,
  runbookUrl: `https://alert-router.example.com/runbooks/A${i % 12}`,
  joinedAt: 1_796_000_100_000,
  receivedAt: 1_796_000_100_000 + i,
  ...over,
});

const view = (groups: StormGroupEntry[], over: Partial<StormView> = {}): StormView => ({
  id: 'alerts-abc123',
  channel: 'alerts',
  startedAt: 1_796_000_100_000,
  lastJoinAt: 1_796_000_160_000,
  groups,
  ...over,
});

type Block = { type: string; text?: { text: string }; elements?: Array<{ text?: unknown; url?: string }> };

test('the digest counts groups by status, severity and alert name, most severe named first, and links the storm page', () => {
  const groups = Array.from({ length: 300 }, (_, i) => entry(i, i < 40 ? { status: 'resolved' } : {}));
  const msg = formatStormDigest(view(groups), 'https://alert-router.example.com');
  assert.equal(msg.text, 'Alert storm: 300 groups, 260 firing, 40 resolved');
  const blocks = msg.blocks as Block[];
  const body = blocks.map((b) => b.text?.text ?? '').join('\n');
  assert.match(
    body,
    /:red_circle: critical 100 · :large_orange_circle: warning 100 · :large_blue_circle: info 100/,
  );
  assert.match(body, /\*A0\* 25 · /);
  assert.match(body, /\+4 more/, '12 alert names: 8 shown');
  const named = blocks[2]!.text!.text.split('\n').slice(1, 9);
  assert.ok(
    named.every((l) => l.startsWith(':red_circle:')),
    'critical groups first',
  );
  assert.match(blocks[2]!.text!.text, /…and 292 more on the storm page/);
  const button = blocks.find((b) => b.type === 'actions')!.elements![0]!;
  assert.equal(button.url, 'https://alert-router.example.com/storms/alerts-abc123');
  for (const b of blocks) if (b.text) assert.ok(b.text.text.length <= 3000);
});

test('once over, the digest says so and names what still fires', () => {
  const groups = [entry(0, { status: 'resolved' }), entry(1), entry(2, { status: 'resolved' })];
  const msg = formatStormDigest(view(groups, { endedAt: 1_796_000_500_000 }), 'https://ar.example.com');
  assert.equal(msg.text, 'Storm over: 3 groups, 2 resolved, 1 still firing');
  const text = (msg.blocks as Block[])[2]!.text!.text;
  assert.match(text, /^\*Still firing, most severe first:\*\n:large_orange_circle: \*A1\*/);
  assert.equal(text.split('\n').length, 2);
  const all = formatStormDigest(
    view([entry(0, { status: 'resolved' })], { endedAt: 1 }),
    'https://ar.example.com',
  );
  assert.match((all.blocks as Block[])[2]!.text!.text, /Every group of the storm has resolved/);
});

test('label values cannot mention, link or break out of the digest', () => {
  const hostile = entry(0, {
    title: '<!channel> <https://evil.example|click>',
    labels: { alertname: 'x', service: '`<@U1>`', severity: 'critical' },
    alertnames: ['<!here>'],
    severity: '<!everyone>',
  });
  const msg = formatStormDigest(view([hostile]), 'https://ar.example.com');
  const text = JSON.stringify(msg.blocks);
  assert.doesNotMatch(text, /<!channel>|<!here>|<!everyone>|<https:\/\/evil|<@U1>/);
  assert.match(text, /&lt;!channel&gt;/);
});

test('storm order: severity, then firing before resolved, then oldest first', () => {
  const sorted = [
    entry(1, { severity: 'info' }),
    entry(2, { severity: 'critical', status: 'resolved' }),
    entry(3, { severity: 'critical', firingSince: 5 }),
    entry(4, { severity: 'critical', firingSince: 1 }),
    entry(5, { severity: '' }),
  ].sort(stormOrder);
  assert.deepEqual(
    sorted.map((g) => g.group),
    ['g4', 'g3', 'g2', 'g1', 'g5'],
  );
});
