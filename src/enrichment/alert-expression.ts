import { parser } from '@prometheus-io/lezer-promql';

const MAX_EXPR = 10_000;

/**
 * The alert's PromQL expression, read from `g0.expr` of its generatorURL. The URL itself is never
 * requested: its host is whatever Prometheus advertised (its --web.external-url, often an address
 * only reachable inside its cluster), so only the expression is used, against PROMETHEUS_URL.
 * @example alertExpression('http://prom:9090/graph?g0.expr=up%20%3D%3D%200&g0.tab=1') // => 'up == 0'
 */
export function alertExpression(generatorURL: string | undefined): string | undefined {
  if (!generatorURL) return undefined;
  let url: URL;
  try {
    url = new URL(generatorURL);
  } catch {
    return undefined;
  }
  const expr = url.searchParams.get('g0.expr')?.trim();
  return expr && expr.length <= MAX_EXPR ? expr : undefined;
}

type Node = ReturnType<typeof parser.parse>['topNode'];

// Node names of Prometheus' own grammar:
// https://github.com/prometheus/prometheus/blob/main/web/ui/module/lezer-promql/src/promql.grammar
const COMPARISON: Readonly<Record<string, string>> = {
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
};
/** `1 < x` fires when `x > 1`. */
const MIRRORED: Readonly<Record<string, string>> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=' };
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
const NUMBER = 'NumberDurationLiteral';
const MAX_CONDITIONS = 8;

/** The parsed expression (`PromQL` node's child), or undefined when it does not parse. */
function parse(expr: string): Node | undefined {
  const tree = parser.parse(expr);
  let broken = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) broken = true;
      return !broken;
    },
  });
  return broken ? undefined : (tree.topNode.firstChild ?? undefined);
}

/** For a comparison `lhs op rhs`: its operator and sides; undefined for anything else. */
function comparison(node: Node): { op: string; lhs: Node; rhs: Node } | undefined {
  if (node.name !== 'BinaryExpr') return undefined;
  const lhs = node.firstChild;
  const rhs = node.lastChild;
  const op = lhs?.nextSibling && COMPARISON[lhs.nextSibling.name];
  return lhs && rhs && op ? { op, lhs, rhs } : undefined;
}

/**
 * Splits `X > 0.05` into the measured part `X` and the threshold, so the on-call sees the current
 * value of X (for `up == 0`: the 1/0 of `up`, not an empty filter result). Only a comparison
 * against a number that is the whole expression is split; anything else (`a > 1 and b > 2`) is
 * left to thresholdConditions.
 * @example splitThreshold('rate(x[5m]) > 0.5') // => { measured: 'rate(x[5m])', threshold: '> 0.5' }
 */
export function splitThreshold(expr: string): { measured: string; threshold?: string } {
  const top = parse(expr);
  const c = top && comparison(top);
  if (!c || c.rhs.name !== NUMBER) return { measured: expr };
  return { measured: text(expr, c.lhs), threshold: `${c.op} ${text(expr, c.rhs)}` };
}

/** One comparison of an alert expression: what is measured, against what, and a short name. */
export interface ThresholdCondition {
  /** A label for people: the measured expression without label matchers (`slo:burn_rate:5m`). */
  readonly name: string;
  readonly measured: string;
  /** `> 14.4`, in the form splitThreshold gives. */
  readonly threshold: string;
}

/**
 * Every comparison against a number that the alert's firing depends on, through `and`, `or`,
 * `unless` and parentheses, read with Prometheus' own grammar. A multi-window burn-rate alert
 * `(a > 14.4 and b > 14.4) or (c > 6 and d > 6)` gives four, so each window can be shown against
 * its own threshold. Comparisons inside functions or arithmetic are not conditions of the alert
 * and are not returned; an expression that does not parse gives none.
 * @example thresholdConditions('a{x="1"} > 2 and 0.5 < b') // => [{ name: 'a', measured: 'a{x="1"}', threshold: '> 2' }, { name: 'b', measured: 'b', threshold: '> 0.5' }]
 */
export function thresholdConditions(expr: string): readonly ThresholdCondition[] {
  const out: Array<Omit<ThresholdCondition, 'name'> & { node: Node }> = [];
  const walk = (node: Node | null): void => {
    if (!node || out.length >= MAX_CONDITIONS) return;
    if (node.name === 'ParenExpr') return walk(node.firstChild);
    const c = comparison(node);
    if (c?.rhs.name === NUMBER) {
      out.push({ node: c.lhs, measured: text(expr, c.lhs), threshold: `${c.op} ${text(expr, c.rhs)}` });
    } else if (c?.lhs.name === NUMBER) {
      const op = MIRRORED[c.op] ?? c.op;
      out.push({ node: c.rhs, measured: text(expr, c.rhs), threshold: `${op} ${text(expr, c.lhs)}` });
    } else if (node.name === 'BinaryExpr' && SET_OPERATORS.has(node.firstChild?.nextSibling?.name ?? '')) {
      walk(node.firstChild);
      walk(node.lastChild);
    }
  };
  walk(parse(expr) ?? null);
  const unique = out.filter(
    (c, i) => out.findIndex((o) => o.measured === c.measured && o.threshold === c.threshold) === i,
  );
  const short = unique.map((c) => withoutMatchers(expr, c.node));
  // Two windows that differ only in their matchers keep them, or they would read alike.
  return unique.map((c, i) => ({
    name:
      short[i] && short.indexOf(short[i]) === short.lastIndexOf(short[i]) ? short[i] : oneLine(c.measured),
    measured: c.measured,
    threshold: c.threshold,
  }));
}

function text(expr: string, node: Node): string {
  return expr.slice(node.from, node.to);
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** `rate(x{job="a"}[5m])` -> `rate(x[5m])`. */
function withoutMatchers(expr: string, node: Node): string {
  const cuts: Array<[number, number]> = [];
  const visit = (n: Node): void => {
    if (n.name === 'LabelMatchers') cuts.push([n.from, n.to]);
    else for (let child = n.firstChild; child; child = child.nextSibling) visit(child);
  };
  visit(node);
  let s = '';
  let at = node.from;
  for (const [from, to] of cuts) {
    s += expr.slice(at, from);
    at = to;
  }
  return oneLine(s + expr.slice(at, node.to));
}
