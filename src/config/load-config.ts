import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import type { AppConfig, Role } from './app-config.js';
import { ConfigError } from './config-error.js';
import { fileConfigSchema, type FileConfig } from './config-schema.js';
import { parseMatcher } from '../alert/matcher.js';

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/**
 * Reads a secret from `NAME` or from the file named by `NAME_FILE` (Kubernetes and compose secrets).
 * @example readSecret(env, 'SLACK_BOT_TOKEN', problems)
 */
export function readSecret(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '') return direct;
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    problems.push(
      `env ${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
}

function zodProblems(error: ZodError, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part)),
      '',
    );
    return `${prefix}${path || '(root)'}: ${issue.message}`;
  });
}

function urlOrProblem(value: string, name: string, problems: string[], protocols: string[]): string {
  try {
    const url = new URL(value);
    if (!protocols.includes(url.protocol))
      problems.push(`env ${name}: protocol must be ${protocols.join(' or ')}`);
    return value;
  } catch {
    problems.push(`env ${name}: not a URL`);
    return value;
  }
}

/** Cross-checks the schema cannot express: names that must exist, credentials each channel needs. */
function checkReferences(
  file: FileConfig,
  env: Env,
  cfg: { slackToken?: string; smtpUrl?: string; from?: string },
  problems: string[],
): Record<string, string> {
  const known = new Set(Object.keys(file.channels));
  const refs: Array<[string, string[]]> = [
    ['defaultChannels', file.defaultChannels],
    ['heartbeat.channels', file.heartbeat.channels],
    ...file.heartbeat.sources.map((s, i): [string, string[]] => [
      `heartbeat.sources[${i}].channels`,
      s.channels ?? [],
    ]),
    ...file.routes.map((r, i): [string, string[]] => [`routes[${i}].channels`, r.channels]),
  ];
  for (const [path, names] of refs) {
    names.forEach((name, j) => {
      if (!known.has(name)) problems.push(`${path}[${j}]: unknown channel "${name}"`);
    });
  }
  file.routes.forEach((route, i) =>
    route.matchers.forEach((m, j) => {
      try {
        parseMatcher(m);
      } catch (err) {
        problems.push(`routes[${i}].matchers[${j}]: ${(err as Error).message}`);
      }
    }),
  );
  const routingKeys: Record<string, string> = {};
  for (const [name, channel] of Object.entries(file.channels)) {
    const path = `channels.${name}`;
    if (channel.type === 'slack' && !cfg.slackToken)
      problems.push(`${path}: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)`);
    if (channel.type === 'email' && (!cfg.smtpUrl || !cfg.from))
      problems.push(`${path}: email channel needs SMTP_URL and EMAIL_FROM`);
    if (channel.type === 'pagerduty') {
      const key = readSecret(env, channel.routingKeyEnv, problems);
      if (!key)
        problems.push(
          `${path}.routingKeyEnv: environment variable ${channel.routingKeyEnv} (or ${channel.routingKeyEnv}_FILE) is not set`,
        );
      else if (key.length !== 32)
        problems.push(
          `${path}.routingKeyEnv: ${channel.routingKeyEnv} must be a 32-character PagerDuty routing key`,
        );
      else routingKeys[name] = key;
    }
  }
  return routingKeys;
}

/**
 * Parses the environment and the YAML file into one frozen AppConfig, or throws a ConfigError
 * listing every problem. The only place that reads process.env is main.ts, which passes it here.
 */
export function loadConfig(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): AppConfig {
  const problems: string[] = [];
  const configPath = env.ALERT_ROUTER_CONFIG ?? 'config/alert-router.yml';
  let raw: unknown;
  try {
    raw = parseYaml(readFile(configPath));
  } catch (err) {
    throw new ConfigError([`${configPath}: ${(err as Error).message.split('\n')[0]}`]);
  }
  const parsed = fileConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(zodProblems(parsed.error, `${configPath}: `));
  const file = parsed.data;

  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('env PORT: must be a port number');
  const role = (env.ROLE ?? 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) problems.push('env ROLE: must be all, api or worker');
  const redisUrl = urlOrProblem(env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'REDIS_URL', problems, [
    'redis:',
    'rediss:',
  ]);
  const publicUrl = urlOrProblem(
    env.PUBLIC_URL ?? `http://localhost:${Number.isInteger(port) ? port : 8080}`,
    'PUBLIC_URL',
    problems,
    ['http:', 'https:'],
  );
  const prometheusUrl = env.PROMETHEUS_URL
    ? urlOrProblem(env.PROMETHEUS_URL, 'PROMETHEUS_URL', problems, ['http:', 'https:'])
    : undefined;
  const alertmanagerUrl = env.ALERTMANAGER_URL
    ? urlOrProblem(env.ALERTMANAGER_URL, 'ALERTMANAGER_URL', problems, ['http:', 'https:'])
    : undefined;
  const grafanaUrl = env.GRAFANA_URL
    ? urlOrProblem(env.GRAFANA_URL, 'GRAFANA_URL', problems, ['http:', 'https:'])
    : undefined;
  const slackApiUrl = urlOrProblem(env.SLACK_API_URL ?? 'https://slack.com/api/', 'SLACK_API_URL', problems, [
    'http:',
    'https:',
  ]);
  // The official PagerDuty client only speaks https, so a local server needs TLS too (see README).
  const eventsUrl = urlOrProblem(
    env.PAGERDUTY_EVENTS_URL ?? DEFAULT_PAGERDUTY_EVENTS_URL,
    'PAGERDUTY_EVENTS_URL',
    problems,
    ['https:'],
  );
  if (!/\/v2\/enqueue\/?$/.test(eventsUrl))
    problems.push('env PAGERDUTY_EVENTS_URL: must end with /v2/enqueue');

  const slackToken = readSecret(env, 'SLACK_BOT_TOKEN', problems);
  const smtpUrl = readSecret(env, 'SMTP_URL', problems);
  if (smtpUrl) urlOrProblem(smtpUrl, 'SMTP_URL', problems, ['smtp:', 'smtps:']);
  const from = env.EMAIL_FROM;
  const bearerToken = readSecret(env, 'WEBHOOK_BEARER_TOKEN', problems);
  const basicRaw = readSecret(env, 'WEBHOOK_BASIC_AUTH', problems);
  let basic: { user: string; password: string } | undefined;
  if (basicRaw !== undefined) {
    const i = basicRaw.indexOf(':');
    if (i <= 0) problems.push('env WEBHOOK_BASIC_AUTH: must be user:password');
    else basic = { user: basicRaw.slice(0, i), password: basicRaw.slice(i + 1) };
  }
  const routingKeys = checkReferences(file, env, { slackToken, smtpUrl, from }, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    port,
    role,
    redisUrl,
    queuePrefix: env.QUEUE_PREFIX ?? 'alert-router',
    publicUrl: publicUrl.replace(/\/+$/, ''),
    prometheusUrl: prometheusUrl?.replace(/\/+$/, ''),
    alertmanagerUrl: alertmanagerUrl?.replace(/\/+$/, ''),
    grafanaUrl: grafanaUrl?.replace(/\/+$/, ''),
    runbooksDir: env.RUNBOOKS_DIR ?? 'runbooks',
    webhookAuth: { ...(bearerToken ? { bearerToken } : {}), ...(basic ? { basic } : {}) },
    slack: { token: slackToken, apiUrl: slackApiUrl },
    pagerduty: { eventsUrl, routingKeys: Object.freeze(routingKeys) },
    email: { smtpUrl, from },
    file,
  });
}
