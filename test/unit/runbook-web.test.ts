import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isSafeAlertName, resolveRunbookFile } from '../../src/runbooks/runbook-path.js';
import { closestNames } from '../../src/runbooks-web/closest-names.js';
import { formatValueText as formatValue } from '../../src/alert/format-value.js';
import { formatDuration } from '../../src/alert/format-duration.js';
import { renderMarkdown } from '../../src/runbooks-web/render-markdown.js';
import { silenceLink } from '../../src/alert/alert-links.js';
import { svgChart } from '../../src/runbooks-web/svg-chart.js';

describe('runbook path safety', () => {
  it('accepts only the strict alert name pattern', () => {
    for (const ok of ['NodeDown', 'a:b_c-d', 'X'.repeat(128)]) assert.ok(isSafeAlertName(ok), ok);
    for (const bad of ['', '..', '../etc/passwd', 'a/b', 'a\\b', 'a\0b', 'a.md', 'X'.repeat(129), 'é', 'a b', '%2e%2e'])
      assert.ok(!isSafeAlertName(bad), JSON.stringify(bad));
  });

  it('resolves inside the directory and refuses symlinks out of it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rbp-'));
    const dir = join(root, 'runbooks');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Inside.md'), 'x');
    writeFileSync(join(root, 'Outside.md'), 'x');
    symlinkSync(join(root, 'Outside.md'), join(dir, 'Escape.md'));
    symlinkSync(join(dir, 'Inside.md'), join(dir, 'Alias.md'));
    assert.ok((await resolveRunbookFile(dir, 'Inside'))?.endsWith('/runbooks/Inside.md'));
    assert.ok((await resolveRunbookFile(dir, 'Alias'))?.endsWith('/runbooks/Inside.md'));
    assert.equal(await resolveRunbookFile(dir, 'Escape'), undefined);
    assert.equal(await resolveRunbookFile(dir, 'Missing'), undefined);
    assert.equal(await resolveRunbookFile(dir, '../Outside'), undefined);
  });
});

describe('renderMarkdown', () => {
  it('keeps formatting and drops script, handlers, javascript: links, iframes', () => {
    const html = renderMarkdown(
      [
        '# Title',
        '**bold** `code` [ok](https://example.com)',
        '<script>window.__pwned=1</script>',
        '<img src=x onerror="window.__pwned=1">',
        '<a href="javascript:alert(1)">js</a> [md](javascript:alert(1)) [data](data:text/html,x)',
        '<iframe src="https://evil.example"></iframe><div onclick="x()">div</div>',
        '<svg onload="alert(1)"></svg><style>body{display:none}</style>',
      ].join('\n\n'),
    );
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong> <code>code<\/code>/);
    assert.match(html, /<a href="https:\/\/example.com" rel="noopener noreferrer">ok<\/a>/);
    for (const bad of [/<script/i, /onerror/i, /onclick/i, /onload/i, /javascript:/i, /<iframe/i, /<img/i, /<style/i, /data:/i, /__pwned/])
      assert.doesNotMatch(html, bad);
  });
});

describe('page helpers', () => {
  it('suggests close alert names', () => {
    const known = ['NodeDown', 'ServiceDown', 'NodeFilesystemSpaceLow', 'NodeFilesystemFillingUp'];
    assert.deepEqual(closestNames('NodeDwn', known), ['NodeDown']);
    assert.deepEqual(closestNames('nodedown', known), ['NodeDown']);
    assert.deepEqual(closestNames('Filesystem', known), ['NodeFilesystemFillingUp', 'NodeFilesystemSpaceLow']);
    assert.deepEqual(closestNames('Completely', known), []);
  });

  it('formats values and durations for humans, NaN and Inf included', () => {
    assert.equal(formatValue('0.0523', 'ratio'), '5.23 %');
    assert.equal(formatValue('8589934592', 'bytes'), '8 GiB');
    assert.equal(formatValue('0.25', 'seconds'), '250 ms');
    assert.equal(formatValue('NaN'), 'no data (NaN)');
    assert.equal(formatValue('+Inf', 'x'), '+Inf');
    assert.equal(formatValue('12.3456', 'req/s'), '12.3 req/s');
    assert.equal(formatDuration(7380), '2h 3m');
    assert.equal(formatDuration(59), '59s');
  });

  it('builds a silence link whose filter carries every label, quoted', () => {
    const url = silenceLink('http://am:9093/', { alertname: 'X', job: 'a"b' });
    assert.equal(url, `http://am:9093/#/silences/new?filter=${encodeURIComponent('{alertname="X",job="a\\"b"}')}`);
  });

  it('draws an SVG chart with gaps for NaN and no script', () => {
    const samples = Array.from({ length: 30 }, (_, i) => [1_700_000_000 + i * 60, i === 10 ? NaN : i] as const);
    const svg = svgChart(samples, { label: '<b>x</b>', unit: 'ratio' });
    assert.match(svg, /^<svg class="chart"/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
    assert.doesNotMatch(svg, /<script|<b>/);
    assert.match(svgChart([], { label: 'x' }), /no data/);
  });
});
