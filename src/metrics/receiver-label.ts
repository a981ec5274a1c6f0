import { cut } from '../lib/truncate.js';
import { unquoteReceiver } from '../alert/receiver-name.js';

const MAX_LABEL_LENGTH = 64;
/** Receivers the config does not name that still get a series of their own, first come. */
const MAX_UNNAMED = 32;

/**
 * The `receiver` label value for a notification. Every distinct value is a new series, so a sender
 * must not be able to create them without bound (300 made-up receivers were 300 series): a
 * receiver the config names (a route or the heartbeat receiver) is always itself, the first 32
 * others seen are themselves, and everything else, or longer than 64 characters, is "other".
 * @example receiverLabeler(['critical'])('critical') // 'critical'
 */
export function receiverLabeler(known: Iterable<string>): (receiver: string) => string {
  const names = new Set([...known].map((n) => cut(n, MAX_LABEL_LENGTH)));
  const seen = new Set<string>();
  return (receiver) => {
    const name = unquoteReceiver(receiver);
    if (name.length > MAX_LABEL_LENGTH) return 'other';
    if (names.has(name) || seen.has(name)) return name;
    if (seen.size >= MAX_UNNAMED) return 'other';
    seen.add(name);
    return name;
  };
}
