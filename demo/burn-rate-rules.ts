import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One `(burn A > t and burn B > t)` term of a multi-window burn-rate alert. */
export interface WindowPair {
  readonly windows: readonly [string, string];
  readonly threshold: number;
}

/** A burn-rate alert as prometheus/rules/slo_alerts.rules.yml writes it. */
export interface BurnRateAlert {
  readonly alert: string;
  readonly slo: string;
  readonly severity: string;
  /** The rule's `for`, in seconds. */
  readonly forSeconds: number;
  readonly pairs: readonly WindowPair[];
}

const SELECTOR = /slo:burn_rate:(\w+)\{[^}]*\}\s*>\s*([\d.]+)/g;

/**
 * The burn-rate alerts of a rule file, read from the rules themselves (so the forecast of
 * `demo:fault --clear` cannot drift from what Prometheus evaluates). Each `or` term must be two
 * `slo:burn_rate:<window>{...} > <threshold>` comparisons joined by `and`.
 * @example burnRateAlerts('prometheus/rules/slo_alerts.rules.yml')[0].pairs[0] // { windows: ['5m', '1h'], threshold: 14.4 }
 */
export function burnRateAlerts(file: string): BurnRateAlert[] {
  const doc = parse(readFileSync(file, 'utf8')) as {
    groups: {
      rules: { alert?: string; expr: string; for?: string; labels?: { slo?: string; severity?: string } }[];
    }[];
  };
  const alerts: BurnRateAlert[] = [];
  for (const rule of doc.groups.flatMap((g) => g.rules)) {
    if (!rule.alert || !rule.labels?.slo) continue;
    const pairs = rule.expr.split(/\bor\b/).map((term): WindowPair => {
      const [a, b, ...rest] = [...term.matchAll(SELECTOR)];
      if (!a?.[1] || !b?.[1] || rest.length > 0 || a[2] !== b[2]) {
        throw new Error(`${rule.alert}: "${term.trim()}" is not a window pair with one threshold`);
      }
      return { windows: [a[1], b[1]], threshold: Number(a[2]) };
    });
    alerts.push({
      alert: rule.alert,
      slo: rule.labels.slo,
      severity: rule.labels.severity ?? '',
      forSeconds: rule.for ? windowSeconds(rule.for) : 0,
      pairs,
    });
  }
  return alerts;
}

/** "30s" -> 30, "5m" -> 300, "1h" -> 3600, "3d" -> 259200. */
export function windowSeconds(window: string): number {
  const m = /^(\d+)([smhd])$/.exec(window);
  if (!m) throw new Error(`unsupported duration "${window}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/**
 * The group_interval of the Alertmanager route an SLO alert of this severity takes (the first
 * route whose matchers name `slo` and the severity): how long after Prometheus resolves an alert
 * the resolved notification can take.
 * @example sloGroupInterval('alertmanager/alertmanager.yml', 'critical') // 300
 */
export function sloGroupInterval(file: string, severity: string): number | undefined {
  const doc = parse(readFileSync(file, 'utf8')) as {
    route: { group_interval?: string; routes?: { matchers?: string[]; group_interval?: string }[] };
  };
  const route = doc.route.routes?.find(
    (r) => r.matchers?.some((m) => m.startsWith('slo')) && r.matchers.includes(`severity="${severity}"`),
  );
  const interval = route?.group_interval ?? doc.route.group_interval;
  return interval ? windowSeconds(interval) : undefined;
}
