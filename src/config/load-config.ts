import { readFileSync } from 'node:fs';
import type { AppConfig, Role } from './app-config.js';
import { channelCredentials } from './channel-credentials.js';
import { ConfigError } from './config-error.js';
import { parseConfigFile, sortByPath, type ParsedConfigFile } from './parse-config-file.js';
import { readAccessConfigured, readAccessFromEnv, readBasicCredentials } from './read-access.js';
import { readSecret, type Env } from '../lib/read-secret.js';
import { clusterPrefix, readRedisSettings } from './redis-settings.js';

export { readSecret, type Env };

const DEFAULT_PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

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

/** The file's text parsed, or its one problem when it cannot be read. */
function readConfigFile(path: string, readFile: (path: string) => string): ParsedConfigFile {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0];
    return {
      file: undefined,
      channels: [],
      problems: [`cannot read the file (${code}); ALERT_ROUTER_CONFIG names the configuration file`],
    };
  }
  return parseConfigFile(text);
}

/**
 * Parses the environment and the YAML file into one frozen AppConfig, or throws a ConfigError
 * listing every problem at once: the file's (each as `<file>: <path>: reason`, structural and
 * cross-checks together) and the environment's (`env NAME: reason`). The only place that reads
 * process.env is main.ts, which passes it here.
 */
export function loadConfig(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): AppConfig {
  const problems: string[] = [];
  const configPath = env.ALERT_ROUTER_CONFIG ?? 'config/alert-router.yml';
  const parsed = readConfigFile(configPath, readFile);

  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('env PORT: must be a port number');
  const host = env.HOST?.trim() || undefined;
  if (host !== undefined && /[\s/]/.test(host))
    problems.push('env HOST: must be an address to listen on (0.0.0.0, 127.0.0.1, ::)');
  const role = (env.ROLE ?? 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) problems.push('env ROLE: must be all, api or worker');
  const redis = readRedisSettings(env, problems);
  const prefix = env.QUEUE_PREFIX ?? 'alert-router';
  const publicUrl = urlOrProblem(
    env.PUBLIC_URL ?? `http://localhost:${Number.isInteger(port) ? port : 8080}`,
    'PUBLIC_URL',
    problems,
    ['http:', 'https:'],
  );
  const prometheusUrl = env.PROMETHEUS_URL
    ? urlOrProblem(env.PROMETHEUS_URL, 'PROMETHEUS_URL', problems, ['http:', 'https:'])
    : undefined;
  // Several Alertmanagers of one HA cluster: API calls try them in order, links use the first.
  const alertmanagerUrls = (env.ALERTMANAGER_URL ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '')
    .map((u) => urlOrProblem(u, 'ALERTMANAGER_URL', problems, ['http:', 'https:']).replace(/\/+$/, ''));
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
  const signingSecret = readSecret(env, 'SLACK_SIGNING_SECRET', problems);
  const teamId = env.SLACK_TEAM_ID || undefined;
  if (signingSecret !== undefined && alertmanagerUrls.length === 0)
    problems.push(
      'env SLACK_SIGNING_SECRET: Slack actions silence through Alertmanager; set ALERTMANAGER_URL too',
    );
  if (teamId !== undefined && !/^T[A-Z0-9]{2,}$/.test(teamId))
    problems.push('env SLACK_TEAM_ID: must be a Slack workspace id (T0123...)');
  const smtpUrl = readSecret(env, 'SMTP_URL', problems);
  if (smtpUrl) urlOrProblem(smtpUrl, 'SMTP_URL', problems, ['smtp:', 'smtps:']);
  const from = env.EMAIL_FROM;
  const bearerToken = readSecret(env, 'WEBHOOK_BEARER_TOKEN', problems);
  const basic = readBasicCredentials(env, 'WEBHOOK_BASIC_AUTH', problems);
  const readAccess = readAccessFromEnv(env, problems);
  const pingRaw = readSecret(env, 'HEARTBEAT_PING_URL', problems);
  // Checked without echoing it: the URL usually carries the check's token.
  let heartbeatPingUrl: string | undefined;
  if (pingRaw !== undefined) {
    if (['http:', 'https:'].includes(URL.parse(pingRaw)?.protocol ?? '')) heartbeatPingUrl = pingRaw;
    else problems.push('env HEARTBEAT_PING_URL: must be an http(s) URL');
  }
  const fileProblems = [...parsed.problems];
  const routingKeys = channelCredentials(
    parsed.channels,
    env,
    { slackToken, smtpUrl, from, signingSecret },
    fileProblems,
    problems,
  );
  const { file } = parsed;
  if (file && !readAccessConfigured(readAccess)) {
    const { required, protectMetrics } = file.http.readAuth;
    if (required || protectMetrics)
      fileProblems.push(
        `http.readAuth.${required ? 'required' : 'protectMetrics'}: true, but no read credentials are set: set READ_BEARER_TOKEN, READ_BASIC_AUTH (or their _FILE) or TRUSTED_PROXY_USER_HEADER with TRUSTED_PROXY_ADDRESSES`,
      );
  }
  const all = [...sortByPath(fileProblems).map((p) => `${configPath}: ${p}`), ...problems];
  if (all.length > 0 || file === undefined) throw new ConfigError(all);

  return Object.freeze({
    port,
    host,
    role,
    redis,
    queuePrefix: redis.topology.kind === 'cluster' ? clusterPrefix(prefix) : prefix,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    prometheusUrl: prometheusUrl?.replace(/\/+$/, ''),
    alertmanagerUrl: alertmanagerUrls[0],
    alertmanagerUrls: Object.freeze(alertmanagerUrls),
    grafanaUrl: grafanaUrl?.replace(/\/+$/, ''),
    runbooksDir: env.RUNBOOKS_DIR ?? 'runbooks',
    webhookAuth: { ...(bearerToken ? { bearerToken } : {}), ...(basic ? { basic } : {}) },
    slack: { token: slackToken, apiUrl: slackApiUrl, signingSecret, teamId },
    pagerduty: { eventsUrl, routingKeys: Object.freeze(routingKeys) },
    email: { smtpUrl, from },
    heartbeatPingUrl,
    readAccess,
    file,
  });
}
