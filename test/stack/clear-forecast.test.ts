/**
 * The forecast `demo:fault --clear` prints: read from the shipped rules and routes, and right
 * about the case a new user meets (a fault on a fresh stack) and the case of a seasoned stack.
 *
 * Run: node --import tsx --test test/stack/clear-forecast.test.ts
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { burnRateAlerts, sloGroupInterval } from '../../demo/burn-rate-rules.js';
import { clearForecast, GENERIC_FORECAST } from '../../demo/clear-forecast.js';
import { forecastResolution } from '../../demo/resolution-forecast.js';

const ROOT = resolve(import.meta.dirname, '../..');
const alerts = burnRateAlerts(join(ROOT, 'prometheus/rules/slo_alerts.rules.yml'));
const page = alerts.find((a) => a.alert === 'SLOAvailabilityBurnRatePage');

/** Per-minute history: `good` minutes of clean traffic, then `fault` minutes at `errorRate`. */
function history(good: number, fault: number, errorRate: number) {
  const perMinute = 20 * 60;
  return {
    sliceSeconds: 60,
    errorBudget: 0.005,
    total: Array<number>(good + fault).fill(perMinute),
    bad: [...Array<number>(good).fill(0), ...Array<number>(fault).fill(perMinute * errorRate)],
  };
}

void describe('demo:fault --clear forecast', () => {
  void it('reads the window pairs, for: and severity of the shipped rules', () => {
    assert.deepEqual(page, {
      alert: 'SLOAvailabilityBurnRatePage',
      slo: 'availability',
      severity: 'critical',
      forSeconds: 120,
      pairs: [
        { windows: ['5m', '1h'], threshold: 14.4 },
        { windows: ['30m', '6h'], threshold: 6 },
      ],
    });
    assert.deepEqual(
      alerts.map((a) => a.alert),
      [
        'SLOAvailabilityBurnRatePage',
        'SLOAvailabilityBurnRateTicket',
        'SLOLatencyBurnRatePage',
        'SLOLatencyBurnRateTicket',
      ],
    );
    assert.equal(sloGroupInterval(join(ROOT, 'alertmanager/alertmanager.yml'), 'critical'), 300);
    assert.equal(sloGroupInterval(join(ROOT, 'alertmanager/alertmanager.yml'), 'warning'), 900);
  });

  void it('a 10-minute 20 % fault on a fresh stack: the 30m window holds the page ~25 min', () => {
    assert.ok(page);
    // 30m burn > 6 means more than 3 % errors in 30 min: the fault's last 4.5 minutes still are.
    const f = forecastResolution(page, history(3, 10, 0.2));
    assert.deepEqual(f.longestPair, { windows: ['30m', '6h'], threshold: 6 });
    assert.equal(f.endingWindow, '30m');
    assert.equal(f.resolvesInSeconds, 26 * 60);
  });

  void it('behind six hours of clean traffic a page clears with its 5m window', () => {
    assert.ok(page);
    // 30 minutes (a 10-minute fault at 20 % would not even page here: 1h burn 6.7 < 14.4); the
    // 6h burn is 3.3 < 6, so only the fast pair holds, until the 5m window has < 1.8 fault minutes.
    const f = forecastResolution(page, history(360, 30, 0.2));
    assert.deepEqual(f.longestPair, { windows: ['5m', '1h'], threshold: 14.4 });
    assert.equal(f.endingWindow, '5m');
    assert.equal(f.resolvesInSeconds, 4 * 60);
  });

  void it('without a Prometheus to ask, gives the general answer and says why', async () => {
    const text = await clearForecast('http://127.0.0.1:1');
    assert.ok(
      text.startsWith(
        `${GENERIC_FORECAST}\n(no precise forecast: Prometheus at http://127.0.0.1:1 answered `,
      ),
    );
  });
});
