import type { RenderOptions } from '../channels/render-all.js';
import type { ClickDeps } from '../actions/carry-out-click.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * The slices of the configuration that parts get instead of all of it: none of them holds a
 * secret (only the channel registry sees tokens, routing keys and the SMTP URL).
 */

/** How messages look and where their links point (preview route; the registry builds its own). */
export function renderOptions(config: AppConfig): RenderOptions {
  return {
    publicUrl: config.publicUrl,
    alertmanagerUrl: config.alertmanagerUrl,
    grafanaUrl: config.grafanaUrl,
    maxAlertsShown: config.file.slack.maxAlertsShown,
    interactive: config.slack.signingSecret !== undefined,
  };
}

/** Receivers the configuration names (routes and the heartbeat): each keeps its own metric series. */
export function knownReceivers(config: AppConfig): string[] {
  return [
    config.file.heartbeat.receiver,
    ...config.file.routes.flatMap((r) => (r.receiver ? [r.receiver] : [])),
  ];
}

/** The configured channels by name and type, for the index page (no credentials, no addresses). */
export function channelList(config: AppConfig): Array<{ name: string; kind: string }> {
  return Object.entries(config.file.channels).map(([name, c]) => ({ name, kind: c.type }));
}

/** Which webhook credentials are configured, never their values (for the index page). */
export function webhookAuthKind(config: AppConfig): 'bearer' | 'basic' | 'none' {
  if (config.webhookAuth.bearerToken) return 'bearer';
  return config.webhookAuth.basic ? 'basic' : 'none';
}

/** The Slack channels by name with what the Slack actions need of each: post rate, who may silence. */
export function slackActionChannels(config: AppConfig): ClickDeps['channels'] {
  return new Map(
    Object.entries(config.file.channels).flatMap(([name, c]) =>
      c.type === 'slack'
        ? [
            [
              name,
              {
                postIntervalMs: c.postIntervalMs,
                ...(c.silenceAllowed ? { silenceAllowed: c.silenceAllowed } : {}),
              },
            ] as const,
          ]
        : [],
    ),
  );
}
