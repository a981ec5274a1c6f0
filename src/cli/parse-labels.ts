import { UsageError } from './usage-error.js';

// Prometheus' label name alphabet; a value may be anything, optionally in double quotes.
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/s;

/**
 * Turns `name=value` arguments (as amtool takes them) into a label set; `name="a b"` loses its
 * quotes. Anything else, or a name given twice, is a UsageError.
 * @example parseLabels(['severity=critical', 'team=ml']) // { severity: 'critical', team: 'ml' }
 */
export function parseLabels(args: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const arg of args) {
    const m = LABEL.exec(arg);
    if (!m)
      throw new UsageError(
        `not a label: ${JSON.stringify(arg)} (expected name=value, the name of letters, digits and _)`,
      );
    const [, name = '', raw = ''] = m;
    if (Object.hasOwn(labels, name)) throw new UsageError(`label ${name} is given twice`);
    labels[name] = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  }
  return labels;
}
