/**
 * The shipped Prometheus, Alertmanager and alert-router configs, narrowed and sped up for an
 * end-to-end test: what routes and relabels stays as shipped, only addresses, credentials and
 * timers change. Used by the tests that run real Prometheus and Alertmanager binaries.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
type Yaml = Record<string, unknown>;

/**
 * prometheus/prometheus.yml narrowed to one job (its relabelling kept as shipped) scraping
 * `target`, 1 s scrape and evaluation, and the test Alertmanager; external_labels and
 * alert_relabel_configs are kept.
 */
export function shippedPrometheusConfig(options: {
  job: string;
  target: string;
  alertmanager: string;
  ruleFiles: string[];
}): string {
  const shipped = parse(readFileSync(join(REPO, 'prometheus/prometheus.yml'), 'utf8')) as Yaml;
  const global = {
    ...(shipped.global as Yaml),
    scrape_interval: '1s',
    scrape_timeout: '1s',
    evaluation_interval: '1s',
  };
  const job = (shipped.scrape_configs as Yaml[]).find((j) => j.job_name === options.job);
  assert.ok(job, `prometheus/prometheus.yml has no ${options.job} job`);
  const { file_sd_configs: _sd, ...rest } = job;
  const alerting = shipped.alerting as Yaml;
  return stringify({
    global,
    rule_files: options.ruleFiles,
    alerting: {
      alert_relabel_configs: alerting.alert_relabel_configs,
      alertmanagers: [
        { api_version: 'v2', timeout: '5s', static_configs: [{ targets: [options.alertmanager] }] },
      ],
    },
    scrape_configs: [
      {
        ...rest,
        scrape_interval: '1s',
        scrape_timeout: '1s',
        static_configs: [{ targets: [options.target] }],
      },
    ],
  });
}

/**
 * alertmanager/alertmanager.yml with routes, receivers and inhibitions unchanged except: every
 * webhook URL points at the in-test router, every credentials_file at a temp token file, and
 * group_wait / group_interval shortened to 1 s (repeat_interval and matchers as shipped).
 */
export function shippedAlertmanagerConfig(routerUrl: string, tokenFile: string): string {
  const cfg = parse(readFileSync(join(REPO, 'alertmanager/alertmanager.yml'), 'utf8')) as Yaml;
  const shorten = (route: Yaml): void => {
    if (route.group_wait !== undefined) route.group_wait = '1s';
    if (route.group_interval !== undefined) route.group_interval = '1s';
    for (const child of (route.routes as Yaml[] | undefined) ?? []) shorten(child);
  };
  shorten(cfg.route as Yaml);
  let webhooks = 0;
  for (const receiver of cfg.receivers as Yaml[]) {
    for (const hook of (receiver.webhook_configs as Yaml[] | undefined) ?? []) {
      assert.match(String(hook.url), /\/webhook\/alertmanager$/);
      hook.url = `${routerUrl}/webhook/alertmanager`;
      const auth = (hook.http_config as Yaml | undefined)?.authorization as Yaml | undefined;
      assert.ok(auth?.credentials_file, `receiver ${String(receiver.name)} has no credentials_file`);
      auth.credentials_file = tokenFile;
      webhooks += 1;
    }
  }
  assert.ok(webhooks > 0, 'alertmanager/alertmanager.yml has no webhook receivers');
  return stringify(cfg);
}

/**
 * config/production.example.yml with the email channel (no SMTP in these tests) and the heartbeat
 * (no Watchdog rule here) left out; info goes to the warnings channel instead. The critical
 * route (pagerduty-oncall + slack-critical) and the warning route are as shipped.
 */
export function shippedRouterConfig(): Yaml {
  const cfg = parse(readFileSync(join(REPO, 'config/production.example.yml'), 'utf8')) as Yaml;
  const channels = { ...(cfg.channels as Record<string, Yaml>) };
  const dropped = Object.keys(channels).filter((name) => channels[name]!.type === 'email');
  for (const name of dropped) delete channels[name];
  const routes = (cfg.routes as Array<Yaml & { channels: string[] }>).map((r) => {
    const kept = r.channels.filter((c) => !dropped.includes(c));
    return { ...r, channels: kept.length > 0 ? kept : ['slack-warnings'] };
  });
  const { heartbeat: _hb, ...rest } = cfg;
  return { ...rest, channels, routes, delivery: { attempts: 6, backoffMs: 200, concurrency: 20 } };
}
