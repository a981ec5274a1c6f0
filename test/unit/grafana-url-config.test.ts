import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

test('GRAFANA_URL: optional, http(s) only, without a trailing slash', () => {
  assert.equal(loadConfig({}).grafanaUrl, undefined);
  assert.equal(loadConfig({ GRAFANA_URL: 'http://127.0.0.1:3000/' }).grafanaUrl, 'http://127.0.0.1:3000');
  assert.equal(
    loadConfig({ GRAFANA_URL: 'https://g.example/grafana' }).grafanaUrl,
    'https://g.example/grafana',
  );
  for (const [value, problem] of [
    ['javascript:alert(1)', 'env GRAFANA_URL: protocol must be http: or https:'],
    ['grafana:3000', 'env GRAFANA_URL: protocol must be http: or https:'],
    ['not a url', 'env GRAFANA_URL: not a URL'],
  ] as const) {
    assert.throws(
      () => loadConfig({ GRAFANA_URL: value }),
      (err: unknown) => err instanceof ConfigError && err.problems.includes(problem),
      value,
    );
  }
});
