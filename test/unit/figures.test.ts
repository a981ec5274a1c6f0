import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatValue,
  formatValueText,
  thresholdText,
  unitFromExpression,
  valueText,
} from '../../src/alert/format-value.js';
import { firedForSeconds } from '../../src/alert/firing-time.js';
import { formatSpan, historyText } from '../../src/alert/format-duration.js';
import type { NotificationContext } from '../../src/alert/notification-context.js';
import { describeChange, formatSlackMessage } from '../../src/channels/slack/format-slack-message.js';
import { slackDate } from '../../src/channels/slack/slack-date.js';
import { formatPagerDutyEvent } from '../../src/channels/pagerduty/format-pagerduty-event.js';
import { durationSeconds, figureWindowSeconds } from '../../src/enrichment/figure-window.js';
import { historyProbe } from '../../src/enrichment/figure-history.js';
import { planQueries } from '../../src/enrichment/plan-queries.js';
import { hasTrend, MIN_TREND_POINTS } from '../../src/enrichment/sparkline.js';
import { svgChart } from '../../src/runbooks-web/svg-chart.js';
import { fixture } from '../../support/fixtures.js';
import { blockKitProblems } from '../helpers/block-kit-limits.js';

const opts = { publicUrl: 'https://ar.example', alertmanagerUrl: 'https://am.example', maxAlertsShown: 5 };
const sections = (blocks: ReadonlyArray<Record<string, unknown>>): string =>
  blocks
    .filter((b) => b.type === 'section')
    .map((b) => (b.text as { text: string }).text)
    .join('\n');

describe('burn rates read as factors', () => {
  it('formats a burn rate and a factor with ×', () => {
    assert.equal(formatValueText('30', 'burn_rate'), '30× budget burn rate');
    assert.equal(formatValueText('14.4', 'x'), '14.4×');
    assert.deepEqual(formatValue('16.23', 'burn_rate'), { value: '16.2', unit: '× budget burn rate' });
    assert.equal(valueText({ value: '5', unit: '%' }), '5 %', 'other units keep their space');
  });
  it('writes a threshold in the unit of its value', () => {
    assert.equal(thresholdText('> 14.4', 'burn_rate'), '> 14.4×');
    assert.equal(thresholdText('> 14.4', '× budget burn rate'), '> 14.4×');
    assert.equal(thresholdText('> 0.05', 'ratio'), '> 5 %');
    assert.equal(thresholdText('> 0.3', 'seconds'), '> 300 ms');
    assert.equal(thresholdText('> 0.05'), '> 0.05', 'no unit: as written');
    assert.equal(thresholdText('> bool 1', 'ratio'), '> bool 1', 'not op-number: as written');
  });
  it('knows an expression of burn rates is one', () => {
    const shipped = `(slo:burn_rate:5m{slo="a"} > 14.4 and slo:burn_rate:1h{slo="a"} > 14.4)
      or (slo:burn_rate:30m{slo="a"} > 6 and slo:burn_rate:6h{slo="a"} > 6)`;
    assert.equal(unitFromExpression(shipped), 'burn_rate');
    assert.equal(unitFromExpression('slo:burn_rate:5m{slo="a"}'), 'burn_rate');
    assert.equal(unitFromExpression('slo:burn_rate:5m{slo="a"} / other_metric'), undefined);
  });
});

describe('trends need enough points', () => {
  it('five samples make a trend, fewer do not; gaps do not count', () => {
    assert.equal(MIN_TREND_POINTS, 5);
    assert.equal(hasTrend([1]), false);
    assert.equal(hasTrend([1, 2, NaN, 3, 4]), false);
    assert.equal(hasTrend([1, 2, 3, 4, 5]), true);
  });
  it('the runbook chart says how many samples there are instead of drawing one dot', () => {
    const svg = svgChart([[1_700_000_000, 0.2]], { label: 'error_ratio', unit: 'ratio' });
    assert.match(svg, /1 sample so far: too few for a trend \(5 needed\)/);
    assert.doesNotMatch(svg, /<circle|<polyline/);
  });
});

describe('how much history a figure rests on', () => {
  it('reads durations and follows recording rules to the longest range', () => {
    assert.equal(durationSeconds('1h30m'), 5400);
    assert.equal(durationSeconds('30d'), 2_592_000);
    assert.equal(durationSeconds('5x'), undefined);
    const rules = new Map([
      ['slo:budget_remaining', ['1 - slo:error_ratio:ratio_rate30d / 0.005']],
      ['slo:error_ratio:ratio_rate30d', ['sum_over_time(slo:errors:rate5m[30d]) / sum_over_time(slo:requests:rate5m[30d])']],
      ['slo:errors:rate5m', ['sum(rate(errors_total[5m]))']],
      ['loop:a', ['loop:a + 1']],
    ]);
    assert.equal(figureWindowSeconds('slo:budget_remaining{service="a"}', rules), 2_592_000);
    assert.equal(figureWindowSeconds('max_over_time(x[1h:1m])', rules), 3600);
    assert.equal(figureWindowSeconds('up', rules), 0);
    assert.equal(figureWindowSeconds('loop:a', rules), 0, 'a rule reading itself ends');
  });
  it('probes a recorded series finely and says it in words', () => {
    const probe = historyProbe('slo:budget_remaining{service="a"}', 2_592_000);
    assert.equal(
      probe,
      'time() - (min_over_time(timestamp(slo:budget_remaining{service="a"})[2592000s:270s]) or min_over_time(timestamp(slo:budget_remaining{service="a"})[270s:15s]) or min_over_time(timestamp(slo:budget_remaining{service="a"})[15s:1s]) or timestamp(slo:budget_remaining{service="a"}))',
    );
    assert.equal(historyText({ dataSeconds: 725, windowSeconds: 2_592_000 }), 'over the last 12 min of data (window 30 d)');
    assert.equal(formatSpan(0.2), '1 s');
    assert.equal(formatSpan(5 * 3600), '5 h');
  });
  it('shows the history next to the figure in Slack', () => {
    const p = fixture('firing');
    const context: NotificationContext = {
      available: true,
      alerts: {
        [p.alerts[0]!.fingerprint]: {
          values: [
            { name: 'budget_remaining', value: '-2270', unit: '%', history: { dataSeconds: 725, windowSeconds: 2_592_000 } },
          ],
        },
      },
      runbooks: {},
    };
    assert.match(
      sections(formatSlackMessage(p, context, opts).blocks),
      /budget_remaining: \*-2270 %\* over the last 12 min of data \(window 30 d\)/,
    );
  });
});

describe('times in the reader’s time zone', () => {
  it('is a Slack date token with a UTC fallback, or the text as sent when it is no time', () => {
    assert.equal(
      slackDate('2026-11-25T13:02:04.896Z'),
      '<!date^1795611724^{date_short_pretty} {time}|2026-11-25 13:02 UTC>',
    );
    assert.equal(slackDate('<!channel>'), '&lt;!channel&gt; UTC');
    assert.equal(slackDate('0001-01-01T00:00:00Z'), '0001-01-01 00:00:00 UTC');
  });
  it('is used in mrkdwn only, never in the plain_text header', () => {
    const msg = formatSlackMessage(fixture('firing'), undefined, opts);
    assert.match(sections(msg.blocks), /since <!date\^\d+\^\{date_short_pretty\} \{time\}\|[\d-]+ [\d:]+ UTC>/);
    assert.doesNotMatch(JSON.stringify(msg.blocks[0]), /<!date/);
    assert.doesNotMatch(msg.text, /<!date/);
  });
});

describe('a resolved message says what happened', () => {
  const resolved = fixture('resolved');
  const fp = resolved.alerts[0]!.fingerprint;
  const context: NotificationContext = {
    available: true,
    alerts: { [fp]: { resolved: { firedForSeconds: 119, peak: '5.87 %', peakKind: 'highest' } } },
    runbooks: { HighErrorRate: { summary: 'Too many 5xx.', firstSteps: ['Check the deploy'] } },
  };

  it('how long it fired from startsAt/endsAt', () => {
    assert.equal(firedForSeconds(resolved.alerts[0]!), 119);
    assert.equal(firedForSeconds(fixture('firing').alerts[0]!), undefined);
    assert.equal(firedForSeconds({ status: 'resolved', startsAt: 'x', endsAt: 'y' }), undefined);
  });

  it('in Slack: duration and peak; no steps, silence button or value against the threshold', () => {
    const msg = formatSlackMessage(resolved, context, opts);
    assert.deepEqual(blockKitProblems(msg as unknown as Record<string, unknown>), []);
    const text = sections(msg.blocks);
    assert.match(text, /Fired for \*1m 59s\*, peak \*5\.87 %\*/);
    assert.match(text, /fired <!date\^\d+\^[^>]+>, resolved <!date\^\d+\^[^>]+>/);
    assert.doesNotMatch(text, /Now:|fires when|Check the deploy/);
    assert.match(text, /Too many 5xx\./, 'what the alert means stays');
    const actions = msg.blocks.find((b) => b.type === 'actions')!.elements as Array<{ action_id: string }>;
    assert.deepEqual(
      actions.map((a) => a.action_id),
      ['runbook', 'source'],
    );
  });

  it('without Prometheus still says how long it fired', () => {
    const text = sections(formatSlackMessage(resolved, undefined, opts).blocks);
    assert.match(text, /Fired for \*1m 59s\*\n/);
    assert.doesNotMatch(text, /peak/);
  });

  it('in the thread reply', () => {
    assert.equal(
      describeChange({ [fp]: 'firing' }, resolved, context),
      ':white_check_mark: 1 resolved: inference-gateway-0:8080\nAll alerts in this group are resolved at <!date^1795611843^{date_short_pretty} {time}|2026-11-25 13:04 UTC>. Fired for *1m 59s*, peak *5.87 %*.',
    );
  });

  it('to PagerDuty: the action and the dedup key, no payload or links', () => {
    const event = formatPagerDutyEvent(resolved, context, opts);
    assert.deepEqual(Object.keys(event).sort(), ['client', 'client_url', 'dedup_key', 'event_action']);
    assert.equal(event.event_action, 'resolve');
  });

  it('asks Prometheus only for the peak over the firing window, at its end', () => {
    const plan = planQueries(resolved, { maxAlerts: 10, mainMaxSeries: 100, contextMaxSeries: 20 });
    assert.deepEqual(
      [...plan.queries.values()].map((q) => [q.kind, q.time, q.expr.replace(/\(sum.*\)\)\[/, '(…)[')]),
      [['instant', Date.parse('2026-11-25T13:04:03.924Z') / 1000, 'max_over_time((…)[119s:1s])']],
    );
    assert.equal(plan.alerts[0]!.peak?.kind, 'highest');
  });
});
