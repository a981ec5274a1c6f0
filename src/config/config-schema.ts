import { z } from 'zod';
import { parseMatcher } from '../alert/matcher.js';

/** Channel names become BullMQ job-id parts and Redis key parts: keep them to a safe alphabet. */
const channelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" or "_"');
/** Checked here, with the rest of the file, so a bad matcher is listed with every other problem. */
const matcher = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      parseMatcher(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');

const slackChannel = z
  .object({
    type: z.literal('slack'),
    /** A channel id (C0123...) or name (#alerts); the id Slack returns is what we keep for updates. */
    channel: z.string().min(1),
    /**
     * Least time between two messages in this channel: Slack allows about one per second per
     * channel. Lower only for a Slack-compatible server that allows more (and in tests).
     */
    postIntervalMs: z.number().int().min(10).max(60_000).default(1000),
    /**
     * Who may silence and unsilence from this channel's messages (Slack actions): user ids
     * (U0123...) and user groups (S0123..., needs the `usergroups:read` scope). Absent: anyone who
     * can see the message. Acknowledge stays open to all. Needs SLACK_SIGNING_SECRET.
     */
    silenceAllowed: z
      .object({
        users: z
          .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U0123...)'))
          .default([]),
        userGroups: z
          .array(z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id (S0123...)'))
          .default([]),
      })
      .strict()
      .refine((a) => a.users.length + a.userGroups.length > 0, {
        message: 'name at least one user or user group, or leave silenceAllowed out',
      })
      .optional(),
    /**
     * Storm mode: when more than `threshold` new alert groups reach this channel within
     * `windowSeconds`, the groups beyond the threshold join one digest message, updated in place,
     * instead of a message each (docs/storms.md). The storm ends after `quietSeconds` with no new
     * group. At one message per second, 300 groups would otherwise take five minutes to appear.
     */
    storm: z
      .object({
        enabled: z.boolean().default(true),
        threshold: z.number().int().min(1).max(1000).default(10),
        windowSeconds: z.number().int().min(1).max(3600).default(60),
        quietSeconds: z.number().int().min(1).max(86_400).default(300),
        /** Least time between two updates of the digest: chat.update is rate-limited per workspace. */
        digestIntervalSeconds: z.number().int().min(1).max(600).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const pagerdutyChannel = z
  .object({
    type: z.literal('pagerduty'),
    /** Name of the environment variable holding the integration's routing key (never the key itself). */
    routingKeyEnv: envVarName,
  })
  .strict();

const emailChannel = z
  .object({
    type: z.literal('email'),
    to: z.array(z.string().email()).min(1),
    /**
     * Low-severity notifications batched into one email per window instead of one each
     * (docs/email-digest.md). Absent: every notification is mailed at once. Windows are aligned
     * to the clock (every 900 s: :00, :15, :30, :45 UTC), so every replica agrees on them. In
     * seconds like the other intervals here; below a minute is meant for tests.
     */
    digest: z
      .object({
        /** The common `severity` labels (any case) whose notifications, firing and resolved, wait for the digest. */
        severities: z.array(z.string().min(1).max(50)).min(1).default(['info']),
        everySeconds: z.number().int().min(1).max(86_400).default(900),
      })
      .strict()
      .optional(),
  })
  .strict();

const outboxChannel = z.object({ type: z.literal('outbox') }).strict();

export const channelSchema = z.discriminatedUnion('type', [
  slackChannel,
  pagerdutyChannel,
  emailChannel,
  outboxChannel,
]);

export const routeSchema = z
  .object({
    /** Alertmanager receiver name, unquoted (`team.a`, not `team\.a`). */
    receiver: z.string().min(1).optional(),
    /** Alertmanager-style matchers on the notification's common labels: `severity="critical"`, `team=~"a|b"`. */
    matchers: z.array(matcher).default([]),
    channels: z.array(channelName).min(1),
    /** Like Alertmanager: keep evaluating later routes after this one matched. */
    continue: z.boolean().default(false),
  })
  .strict();

export const heartbeatSourceSchema = z
  .object({
    name: channelName,
    /** Labels a Watchdog alert must carry to count for this source, e.g. `{cluster: "eu-1"}`. */
    labels: z.record(z.string(), z.string()).default({}),
    graceSeconds: z.number().int().positive().optional(),
    /**
     * Page if no heartbeat at all came this long after the source was first expected. Unset, a
     * source never heard from only waits (and shows so): the switch arms on the first heartbeat,
     * so a standalone alert-router with no Prometheus never pages for it.
     */
    expectFirstWithinSeconds: z.number().int().positive().optional(),
    /** Who is paged when this source goes quiet, when not `heartbeat.channels` (e.g. its own team). */
    channels: z.array(channelName).min(1).optional(),
  })
  .strict();

export const fileConfigSchema = z
  .object({
    dedupWindowSeconds: z.number().int().positive().default(600),
    channels: z.record(channelName, channelSchema),
    routes: z.array(routeSchema).default([]),
    /** Where a notification goes when no route matches. */
    defaultChannels: z.array(channelName).min(1),
    http: z
      .object({
        /**
         * Node's defaults (60 s for headers, 300 s per request, no connection cap) let idle and
         * slowly-sending clients hold connections and memory for minutes. Alertmanager sends a
         * whole notification in milliseconds over a handful of kept-alive connections.
         */
        headersTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
        /** The whole request, body included: a 10 MB body must arrive within it. */
        requestTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
        /**
         * An idle kept-alive connection is closed after this: longer than the 60 s idle timeout
         * of common load balancers, so they never send on a connection we are closing.
         */
        keepAliveTimeoutMs: z.number().int().min(1000).max(600_000).default(65_000),
        /**
         * Connections beyond this are refused at once. Health probes share the port, so keep it
         * well above what Alertmanager, scrapes and readers need together.
         */
        maxConnections: z.number().int().min(4).max(100_000).default(1024),
        /**
         * Bytes of webhook and preview bodies being read at once, across connections. Not below
         * the 10 MiB body limit, so the largest body always fits when it is the only one.
         */
        maxBodyBytesInFlight: z
          .number()
          .int()
          .min(10 * 1024 * 1024)
          .max(4 * 1024 ** 3)
          .default(64 * 1024 * 1024),
        /**
         * Who may read the pages and APIs (outbox, runbooks with live values, storms, failures,
         * status, dead man's switch). The credentials come from the environment (READ_*,
         * TRUSTED_PROXY_*); `required` makes their absence a start-up error instead of a warning,
         * so a production config cannot come up open by mistake.
         */
        readAuth: z
          .object({
            required: z.boolean().default(false),
            /** /metrics needs the same credentials too (the scraper then sends a bearer token). */
            protectMetrics: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .refine((h) => h.requestTimeoutMs >= h.headersTimeoutMs, {
        message: 'requestTimeoutMs must be at least headersTimeoutMs',
      })
      .prefault({}),
    slack: z
      .object({
        maxAlertsShown: z.number().int().min(1).max(20).default(5),
        /**
         * Retries of a click (acknowledge, silence) whose Alertmanager, PagerDuty or Slack call
         * fails: exponential from backoffMs, so the defaults give up after about a minute and
         * tell the user, who is still looking at the message.
         */
        actions: z
          .object({
            attempts: z.number().int().min(1).max(20).default(6),
            backoffMs: z.number().int().min(10).max(60_000).default(2000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    delivery: z
      .object({
        attempts: z.number().int().min(1).max(100).default(12),
        backoffMs: z.number().int().positive().default(2000),
        concurrency: z.number().int().min(1).max(500).default(20),
        /**
         * How long a worker's hold on a job lasts without renewal, and how often workers look for
         * jobs whose holder died: a crashed worker's jobs run again within 2-3 x this. Not below
         * 5 s: a holder that misses renewals for that long (GC, starved CPU) is taken for dead.
         * Live workers renew every half of it, so a slow vendor call never loses its job.
         */
        lockMs: z.number().int().min(5000).max(600_000).default(30_000),
      })
      .strict()
      .prefault({}),
    enrichment: z
      .object({
        /** Hard limit on live context per notification; past it the notification goes out without. */
        budgetMs: z.number().int().positive().max(30_000).default(2000),
        /** Alerts per notification that get live values (the first ones the channels show). */
        maxAlerts: z.number().int().min(1).max(50).default(10),
        /** How long a Prometheus answer is reused across notifications. */
        cacheTtlMs: z.number().int().min(0).max(300_000).default(10_000),
      })
      .strict()
      .prefault({}),
    heartbeat: z
      .object({
        receiver: z.string().default('watchdog-heartbeat'),
        alertname: z.string().default('Watchdog'),
        defaultGraceSeconds: z.number().int().positive().default(300),
        startupGraceSeconds: z.number().int().positive().default(600),
        checkIntervalSeconds: z.number().int().positive().default(30),
        channels: z.array(channelName).default([]),
        sources: z.array(heartbeatSourceSchema).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type FileConfig = z.infer<typeof fileConfigSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
