import { matches, parseMatcher, type Matcher } from '../alert/matcher.js';
import { unquoteReceiver } from '../alert/receiver-name.js';

/** One route of the configuration file's `routes:` list. */
export interface RouteConfig {
  /** Alertmanager receiver name, unquoted (`team.a`, not `team\.a`). */
  readonly receiver?: string;
  /** Alertmanager-style matchers on the notification's common labels. */
  readonly matchers: readonly string[];
  readonly channels: readonly string[];
  /** Like Alertmanager: keep evaluating later routes after this one matched. */
  readonly continue: boolean;
}

interface CompiledRoute {
  readonly receiver?: string;
  readonly matchers: readonly Matcher[];
  readonly channels: readonly string[];
  readonly continue: boolean;
}

export interface Router {
  /** Channel names for one notification, in route order, without duplicates. */
  route(receiver: string, labels: Readonly<Record<string, string>>): string[];
}

/**
 * Builds a first-match router (with `continue`, like Alertmanager's tree) over the configured routes.
 * @example createRouter(routes, ['outbox']).route('critical', { severity: 'critical' })
 */
export function createRouter(routes: readonly RouteConfig[], defaultChannels: readonly string[]): Router {
  const compiled: CompiledRoute[] = routes.map((r) => ({
    ...(r.receiver !== undefined ? { receiver: r.receiver } : {}),
    matchers: r.matchers.map(parseMatcher),
    channels: r.channels,
    continue: r.continue,
  }));
  return {
    route(receiver, labels) {
      const name = unquoteReceiver(receiver);
      const out = new Set<string>();
      let matched = false;
      for (const r of compiled) {
        if (r.receiver !== undefined && r.receiver !== name) continue;
        if (!r.matchers.every((m) => matches(m, labels))) continue;
        matched = true;
        r.channels.forEach((c) => out.add(c));
        if (!r.continue) break;
      }
      if (!matched) defaultChannels.forEach((c) => out.add(c));
      return [...out];
    },
  };
}
