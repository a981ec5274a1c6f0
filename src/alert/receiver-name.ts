/**
 * Alertmanager sends `receiver` regexp-quoted (`team.a` arrives as `team\.a`): undo that so config
 * authors write the name they gave the receiver.
 * @example unquoteReceiver('team\\.a') // 'team.a'
 */
export function unquoteReceiver(receiver: string): string {
  return receiver.replace(/\\(.)/g, '$1');
}
