import type { RouteConfig } from '../config/config-schema.js';
import { matches, parseMatcher, type Matcher } from '../alert/matcher.js';

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
 * Alertmanager sends `receiver` regexp-quoted (`team.a` arrives as `team\.a`): undo that so config
 * authors write the name they gave the receiver.
 */
export function unquoteReceiver(receiver: string): string {
  return receiver.replace(/\\(.)/g, '$1');
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
