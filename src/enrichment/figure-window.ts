import { parser } from '@prometheus-io/lezer-promql';

/** Recording rules by the name they record: one name may be recorded by several rules. */
export type RecordingRules = ReadonlyMap<string, readonly string[]>;

type Node = ReturnType<typeof parser.parse>['topNode'];

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  y: 365 * 86400,
  w: 7 * 86400,
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

/**
 * A PromQL duration in seconds: `30d`, `1h30m`, `90s`, or a plain number of seconds (Prometheus
 * 2.x duration syntax: https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations).
 * @example durationSeconds('1h30m') // => 5400
 */
export function durationSeconds(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}

// Past this the grammar is not consulted (as in alert-expression.ts): real queries are far shorter.
const MAX_PARSED_LENGTH = 4000;
const MAX_RULE_DEPTH = 6;

/**
 * How far back a figure looks: the longest range (`[30d]`, a subquery's `[1h:1m]`) in its query,
 * following every recording rule it reads into that rule's own expression. A runbook figure such
 * as `slo:service_availability:error_budget_remaining` has no range in its text, but the rules
 * behind it sum 30 days. 0 when it reads no range at all (an instant gauge).
 * @example figureWindowSeconds('x:ratio', new Map([['x:ratio', ['sum_over_time(y[30d])']]])) // => 2592000
 */
export function figureWindowSeconds(query: string, rules: RecordingRules): number {
  const seen = new Set<string>();
  const visit = (expr: string, depth: number): number => {
    if (expr.length > MAX_PARSED_LENGTH || depth > MAX_RULE_DEPTH) return 0;
    const names: string[] = [];
    let longest = 0;
    const walk = (node: Node): void => {
      if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') {
        // The first duration of either is its range ([range] or [range:step]).
        let d = node.firstChild;
        while (d && d.name !== 'DurationExpr') d = d.nextSibling;
        const seconds = d ? durationSeconds(expr.slice(d.from, d.to)) : undefined;
        if (seconds !== undefined) longest = Math.max(longest, seconds);
      }
      if (node.name === 'VectorSelector' && node.firstChild?.name === 'Identifier')
        names.push(expr.slice(node.firstChild.from, node.firstChild.to));
      for (let c = node.firstChild; c; c = c.nextSibling) walk(c);
    };
    walk(parser.parse(expr).topNode);
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      for (const recorded of rules.get(name) ?? []) longest = Math.max(longest, visit(recorded, depth + 1));
    }
    return longest;
  };
  return visit(query, 0);
}
