import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alertExpression,
  splitThreshold,
  thresholdConditions,
} from '../../src/enrichment/alert-expression.js';
import { formatValue, unitFromExpression } from '../../src/alert/format-value.js';
import { describeSeries, seriesFor } from '../../src/enrichment/match-series.js';

describe('formatValue', () => {
  it('renders NaN and infinities sanely', () => {
    assert.deepEqual(formatValue('NaN'), { value: 'no data (NaN)' });
    assert.deepEqual(formatValue('+Inf'), { value: '+Inf' });
    assert.deepEqual(formatValue('-Inf', 'seconds'), { value: '-Inf' });
  });
  it('uses 3 significant digits', () => {
    assert.deepEqual(formatValue('0.123456'), { value: '0.123' });
    assert.deepEqual(formatValue('42'), { value: '42' });
    assert.deepEqual(formatValue('123456'), { value: '123k' });
    assert.deepEqual(formatValue('0.0000123'), { value: '1.23e-5' });
  });
  it('applies runbook units', () => {
    assert.deepEqual(formatValue('0.01234', 'ratio'), { value: '1.23', unit: '%' });
    assert.deepEqual(formatValue('0.0123', 'seconds'), { value: '12.3', unit: 'ms' });
    assert.deepEqual(formatValue('2.5', 'seconds'), { value: '2.5', unit: 's' });
    assert.deepEqual(formatValue('600', 'seconds'), { value: '10', unit: 'min' });
    assert.deepEqual(formatValue(String(3 * 1024 ** 3), 'bytes'), { value: '3', unit: 'GiB' });
    assert.deepEqual(formatValue(String(512 * 1024 ** 2), 'bytes'), { value: '512', unit: 'MiB' });
    assert.deepEqual(formatValue('17', 'requests'), { value: '17', unit: 'requests' });
  });
  it('guesses units from metric names', () => {
    assert.equal(
      unitFromExpression(
        'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
      ),
      'seconds',
    );
    assert.equal(unitFromExpression('node_filesystem_avail_bytes{mountpoint="/"}'), 'bytes');
    assert.equal(unitFromExpression('slo:error_ratio:rate5m{service="x"}'), 'ratio');
    assert.equal(unitFromExpression('rate(cpu_seconds_total[5m])'), undefined);
    assert.equal(unitFromExpression('up{job="a"}'), undefined);
  });
});

describe('alertExpression', () => {
  it('reads g0.expr and never needs the host', () => {
    const url =
      'http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22embedding-worker%22%7D%20%3D%3D%200&g0.tab=1';
    assert.equal(alertExpression(url), 'up{job="embedding-worker"} == 0');
    assert.equal(alertExpression(''), undefined);
    assert.equal(alertExpression('not a url'), undefined);
    assert.equal(alertExpression('http://x/graph?g1.expr=up'), undefined);
  });
  it('splits a trailing threshold off the measured expression', () => {
    assert.deepEqual(splitThreshold('up{job="a"} == 0'), { measured: 'up{job="a"}', threshold: '== 0' });
    assert.deepEqual(splitThreshold('sum(rate(e[5m])) / sum(rate(r[5m])) > 0.05'), {
      measured: 'sum(rate(e[5m])) / sum(rate(r[5m]))',
      threshold: '> 0.05',
    });
    assert.deepEqual(splitThreshold('(a > 1)'), { measured: '(a > 1)' });
    assert.deepEqual(splitThreshold('a > 1 and b > 2'), { measured: 'a > 1 and b > 2' });
    assert.deepEqual(splitThreshold('absent(up{job="x"})'), { measured: 'absent(up{job="x"})' });
  });
  it('finds every condition through and/or/unless and parentheses, each with its threshold', () => {
    const burn = `(
  slo:burn_rate:5m{slo="availability"} > 14.4
  and
  slo:burn_rate:1h{slo="availability"} > 14.4
)
or
(slo:burn_rate:30m{slo="availability"} > 6 and slo:burn_rate:6h{slo="availability"} > 6)`;
    assert.deepEqual(thresholdConditions(burn), [
      { name: 'slo:burn_rate:5m', measured: 'slo:burn_rate:5m{slo="availability"}', threshold: '> 14.4', unit: 'burn_rate' },
      { name: 'slo:burn_rate:1h', measured: 'slo:burn_rate:1h{slo="availability"}', threshold: '> 14.4', unit: 'burn_rate' },
      { name: 'slo:burn_rate:30m', measured: 'slo:burn_rate:30m{slo="availability"}', threshold: '> 6', unit: 'burn_rate' },
      { name: 'slo:burn_rate:6h', measured: 'slo:burn_rate:6h{slo="availability"}', threshold: '> 6', unit: 'burn_rate' },
    ]);
    assert.deepEqual(thresholdConditions('up{job="a"} == 0 or absent(up{job="a"})'), [
      { name: 'up', measured: 'up{job="a"}', threshold: '== 0' },
    ]);
    // A number on the left reads as the same condition from the measured side; the right side of
    // `unless` suppresses the alert, it is not a condition for firing.
    assert.deepEqual(thresholdConditions('0.5 < x unless y >= 2'), [{ name: 'x', measured: 'x', threshold: '> 0.5' }]);
    // Windows that differ only in their matchers keep them in the name.
    assert.deepEqual(
      thresholdConditions('rate(e{code="5xx"}[5m]) > 1 and rate(e{code="4xx"}[5m]) > 1').map((c) => c.name),
      ['rate(e{code="5xx"}[5m])', 'rate(e{code="4xx"}[5m])'],
    );
    // Comparisons inside functions or arithmetic, between two vectors, or in a broken expression.
    assert.deepEqual(thresholdConditions('sum(x > 1)'), []);
    assert.deepEqual(thresholdConditions('a > b'), []);
    assert.deepEqual(thresholdConditions('sum(rate(x[5m]) > 1'), []);
    assert.deepEqual(splitThreshold('sum(rate(x[5m]) > 1'), { measured: 'sum(rate(x[5m]) > 1' });
  });

  it('still splits a trailing threshold the grammar cannot read, or will not parse', () => {
    // A function newer than the grammar, and an expression nested deeper than is worth parsing.
    assert.deepEqual(splitThreshold('some_future_fn(rate(x[5m])) > 1'), {
      measured: 'some_future_fn(rate(x[5m]))',
      threshold: '> 1',
    });
    const deep = `${'abs('.repeat(2000)}x${')'.repeat(2000)}`;
    assert.deepEqual(splitThreshold(`${deep} > 1`), { measured: deep, threshold: '> 1' });
    assert.deepEqual(thresholdConditions(`(${deep} > 1) and y > 2`), []);
  });

  it('names a condition in at most 80 characters', () => {
    const long = `sum(rate(${'x'.repeat(300)}[5m]))`;
    const [c] = thresholdConditions(`${long} > 1 and y > 2`);
    assert.equal(c?.measured, long);
    assert.ok(c.name.length <= 80, c.name);
  });
});

describe('series matching', () => {
  it('picks the series whose labels the alert carries', () => {
    const series = [
      { labels: { __name__: 'up', job: 'a', instance: 'i1' }, value: '1' },
      { labels: { __name__: 'up', job: 'a', instance: 'i2' }, value: '0' },
    ];
    assert.equal(
      seriesFor(series, { alertname: 'X', job: 'a', instance: 'i2', severity: 'warning' })?.value,
      '0',
    );
    assert.equal(seriesFor(series, { job: 'b' }), undefined);
    assert.equal(seriesFor([{ labels: {}, value: '3' }], { job: 'b' })?.value, '3');
  });
  it('describes several series in one line', () => {
    const r = {
      series: [
        { labels: { instance: 'a', job: 'j' }, value: '0.5' },
        { labels: { instance: 'b', job: 'j' }, value: 'NaN' },
      ],
      omitted: 4,
    };
    assert.deepEqual(describeSeries(r, 'ratio'), { value: 'a: 50 %, b: no data (NaN) (+3 more)' });
    assert.deepEqual(describeSeries({ series: [], omitted: 0 }, undefined), { value: 'no data' });
  });
});
