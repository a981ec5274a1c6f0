import { stringify as toYaml } from 'yaml';

/** The Alertmanager configuration of the capture: one webhook receiver per scenario, Bearer auth. */
export function alertmanagerConfig(hookBase: string, tokenFile: string): string {
  const receiver = (name: string): Record<string, unknown> => ({
    name,
    webhook_configs: [
      {
        url: `${hookBase}/hooks/${name}`,
        send_resolved: true,
        http_config: { authorization: { type: 'Bearer', credentials_file: tokenFile } },
      },
    ],
  });
  return toYaml({
    route: {
      receiver: 'alert-router',
      group_by: ['alertname', 'service'],
      group_wait: '1s',
      group_interval: '2s',
      repeat_interval: '24h',
      routes: [
        { receiver: 'watchdog-heartbeat', matchers: ['alertname="Watchdog"'] },
        { receiver: 'team.a', matchers: ['team="a"'] },
      ],
    },
    receivers: ['alert-router', 'team.a', 'watchdog-heartbeat'].map(receiver),
  });
}

/** The same configuration as test/fixtures/README.md shows it, with placeholders for the run's own values. */
export function configForReadme(): string {
  return ['```yaml', alertmanagerConfig('http://127.0.0.1:<port>', '<tmp>/token').trimEnd(), '```'].join('\n');
}
