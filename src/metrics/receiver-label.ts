import { cut } from '../lib/truncate.js';
import { unquoteReceiver } from '../routing/route-notification.js';

const MAX_LABEL_LENGTH = 64;

/**
 * The `receiver` label value for a notification: the receiver's name when the config knows it (a
 * route or the heartbeat receiver names it), else "other". Every distinct value is a new series, so
 * a sender must not be able to create them (300 made-up receivers were 300 series).
 * @example receiverLabeler(['critical'])('critical') // 'critical'; ('made-up') // 'other'
 */
export function receiverLabeler(known: Iterable<string>): (receiver: string) => string {
  const names = new Set(known);
  return (receiver) => {
    const name = unquoteReceiver(receiver);
    return names.has(name) ? cut(name, MAX_LABEL_LENGTH) : 'other';
  };
}
