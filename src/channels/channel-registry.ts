import type { Agent } from 'node:https';
import { WebClient } from '@slack/web-api';
import type { RedisClient } from '../lib/redis-client.js';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import type { Channel } from './channel.js';
import { EmailDigestStore } from './email/digest-store.js';
import type { ScheduleDigest } from './email/digest-window.js';
import { EmailChannel, type EmailDigests } from './email/email-channel.js';
import { OutboxChannel } from './outbox/outbox-channel.js';
import { OutboxStore } from './outbox/outbox-store.js';
import { OpenIncidents } from './pagerduty/open-incidents.js';
import { PagerDutyChannel } from './pagerduty/pagerduty-channel.js';
import { SlackChannel } from './slack/slack-channel.js';
import { SlackMessageStore } from './slack/slack-message-store.js';
import type { StormEvents, StormScheduler } from './slack/storm-digest.js';
import { StormStore } from './slack/storm-store.js';

export interface ChannelRegistryOptions {
  /** Trust for a PagerDuty-compatible server with a private CA (tests, air-gapped setups). */
  readonly pagerdutyAgent?: Agent;
  /** Storm mode's delayed digest jobs and its counters; without them no channel goes into storm mode. */
  readonly storms?: { readonly schedule: StormScheduler; readonly events: StormEvents };
  /** Schedules the send of an email digest's window (the digest queue); needed by email digests. */
  readonly scheduleEmailDigest?: ScheduleDigest;
}

/** The Slack client and message state that the Slack channels and the Slack actions share. */
export interface SlackWorkspace {
  readonly client: WebClient;
  readonly store: SlackMessageStore;
}

/** The registry's channels plus what the Slack actions need to act on their messages. */
export interface ChannelRegistry {
  readonly channels: Map<string, Channel>;
  readonly slack: SlackWorkspace;
  readonly incidents: OpenIncidents;
  readonly storms: StormStore;
}

/** An explicit list of the configured channels by name: no discovery, no magic. */
export function createChannelRegistry(
  config: AppConfig,
  redis: RedisClient,
  opts: ChannelRegistryOptions = {},
): ChannelRegistry {
  const links = {
    publicUrl: config.publicUrl,
    alertmanagerUrl: config.alertmanagerUrl,
    grafanaUrl: config.grafanaUrl,
  };
  const outbox = new OutboxStore(redis, config.queuePrefix);
  // The group lock frees up after a crash as fast as the crashed worker's jobs do.
  const slackStore = new SlackMessageStore(redis, config.queuePrefix, config.file.delivery.lockMs);
  const incidents = new OpenIncidents(redis, config.queuePrefix);
  const storms = new StormStore(redis, config.queuePrefix);
  // No SDK retries and no whole-client pause on 429: the queue owns retries per delivery.
  const slackClient = new WebClient(config.slack.token, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  });
  const interactive = config.slack.signingSecret !== undefined;
  let mailer: Transporter | undefined;
  const channels = new Map<string, Channel>();
  for (const [name, ch] of Object.entries(config.file.channels)) {
    switch (ch.type) {
      case 'slack':
        channels.set(
          name,
          new SlackChannel(
            name,
            ch.channel,
            slackClient,
            slackStore,
            { ...links, maxAlertsShown: config.file.slack.maxAlertsShown, interactive },
            ch.postIntervalMs,
            opts.storms && ch.storm.enabled ? { ...opts.storms, policy: ch.storm, store: storms } : undefined,
          ),
        );
        break;
      case 'pagerduty':
        channels.set(
          name,
          new PagerDutyChannel(name, config.pagerduty.routingKeys[name]!, {
            ...links,
            eventsUrl: config.pagerduty.eventsUrl,
            incidents,
            ...(opts.pagerdutyAgent ? { agent: opts.pagerdutyAgent } : {}),
          }),
        );
        break;
      case 'email': {
        // The timeouts are transport options beside the url: a second argument would be the
        // messages' defaults, where nodemailer ignores them and waits 30 s for a greeting, 2 min
        // for a connection and 10 min on a silent socket (https://nodemailer.com/smtp/#connection-options).
        mailer ??= nodemailer.createTransport({
          url: config.email.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        });
        if (ch.digest && !opts.scheduleEmailDigest)
          throw new Error(`email channel "${name}" has a digest: pass scheduleEmailDigest`);
        // With a digest queue, every email channel can send a batch left in Redis, even one whose
        // `digest:` was removed since (docs/email-digest.md).
        const digests: EmailDigests | undefined = opts.scheduleEmailDigest && {
          store: new EmailDigestStore(redis, config.queuePrefix),
          schedule: opts.scheduleEmailDigest,
          ...(ch.digest && {
            settings: {
              severities: ch.digest.severities.map((s) => s.toLowerCase()),
              everyMs: ch.digest.everySeconds * 1000,
            },
          }),
        };
        channels.set(
          name,
          new EmailChannel(name, ch.to, mailer, { ...links, from: config.email.from! }, digests),
        );
        break;
      }
      case 'outbox':
        channels.set(
          name,
          new OutboxChannel(name, outbox, {
            ...links,
            maxAlertsShown: config.file.slack.maxAlertsShown,
            interactive,
          }),
        );
        break;
    }
  }
  return { channels, slack: { client: slackClient, store: slackStore }, incidents, storms };
}
