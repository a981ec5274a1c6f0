import type { ChannelConfig } from './config-schema.js';
import { readSecret, type Env } from '../lib/read-secret.js';

/**
 * Checks that each channel has the credentials it sends with, and returns the PagerDuty routing
 * keys by channel name. `problems` get `channels.<name>...: reason` (paths in the config file),
 * `envProblems` an unreadable `<NAME>_FILE`.
 * @example channelCredentials([['pd', { type: 'pagerduty', routingKeyEnv: 'PD_KEY' }]], env, {}, problems, envProblems)
 */
export function channelCredentials(
  channels: ReadonlyArray<readonly [string, ChannelConfig]>,
  env: Env,
  have: {
    readonly slackToken?: string;
    readonly smtpUrl?: string;
    readonly from?: string;
    readonly signingSecret?: string;
  },
  problems: string[],
  envProblems: string[],
): Record<string, string> {
  const routingKeys: Record<string, string> = {};
  for (const [name, channel] of channels) {
    const path = `channels.${name}`;
    if (channel.type === 'slack' && !have.slackToken)
      problems.push(`${path}: Slack channel needs SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN_FILE)`);
    // Without a secret there are no actions, so an allow-list would guard nothing.
    if (channel.type === 'slack' && channel.silenceAllowed && !have.signingSecret)
      problems.push(
        `${path}.silenceAllowed: Slack actions are off; set SLACK_SIGNING_SECRET (or SLACK_SIGNING_SECRET_FILE) to use it`,
      );
    if (channel.type === 'email' && (!have.smtpUrl || !have.from))
      problems.push(`${path}: email channel needs SMTP_URL and EMAIL_FROM`);
    if (channel.type === 'pagerduty') {
      // An unreadable *_FILE is a problem of the environment, not of the file.
      const key = readSecret(env, channel.routingKeyEnv, envProblems);
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
