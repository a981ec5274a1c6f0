import { parser } from '@prometheus-io/lezer-promql';
import { unitFromExpression } from '../alert/format-value.js';
import { cut } from '../lib/truncate.js';

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
/** A condition's name is a label on a phone screen, not the whole expression. */
const MAX_NAME = 80;
/**
 * Past this length or bracket depth the grammar is not consulted: parsing a hostile 10,000-char
 * `abs(abs(...))` costs a quarter second of the worker's event loop, and real rules are far
 * shorter and flatter.
 */
const MAX_PARSED_LENGTH = 4000;
const MAX_PARSED_DEPTH = 64;

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

/** What the alert's own expression measures, and what makes it fire. */
export interface ExpressionAnalysis {
  /** The expression without its single threshold (`X` of `X > 0.05`), else the whole of it. */
  readonly measured: string;
  /** `> 0.05`, when the whole expression is one comparison against a number. */
  readonly threshold?: string;
  /** The measured part's unit, guessed from its metric names (`seconds`, `bytes`, `ratio`). */
  readonly unit?: string;
  /** Without a single threshold: every comparison the firing depends on (a burn-rate alert's windows). */
  readonly conditions: readonly ThresholdCondition[];
}

/** One comparison of an alert expression: what is measured, against what, and a short name. */
export interface ThresholdCondition {
  /** A label for people: the measured expression without label matchers (`slo:burn_rate:5m`). */
  readonly name: string;
  readonly measured: string;
  /** `> 14.4`, in the form splitThreshold gives. */
  readonly threshold: string;
  readonly unit?: string;
}

const analysed = new Map<string, ExpressionAnalysis>();
const MAX_ANALYSED = 256;

/**
 * Reads an alert expression with Prometheus' own grammar, once per distinct expression (a group
 * of 1,000 alerts of one rule shares it). When the grammar cannot read it (a function newer than
 * the grammar, or too long or deep to parse cheaply), a trailing `> number` is still split off.
 * @example analyseExpression('rate(x[5m]) > 0.5') // => { measured: 'rate(x[5m])', threshold: '> 0.5', conditions: [] }
 */
export function analyseExpression(expr: string): ExpressionAnalysis {
  let result = analysed.get(expr);
  if (!result) {
    result = analyse(expr);
    if (analysed.size >= MAX_ANALYSED) analysed.delete(analysed.keys().next().value!);
    analysed.set(expr, result);
  }
  return result;
}

function analyse(expr: string): ExpressionAnalysis {
  const cheap = expr.length <= MAX_PARSED_LENGTH && brackets(expr).depth <= MAX_PARSED_DEPTH;
  const top = cheap ? parse(expr) : undefined;
  if (!top) {
    const split = trailingComparison(expr);
    return { ...split, ...withUnit(split.measured), conditions: [] };
  }
  const c = comparison(top);
  if (c?.rhs.name === NUMBER) {
    const measured = text(expr, c.lhs);
    return { measured, threshold: `${c.op} ${text(expr, c.rhs)}`, ...withUnit(measured), conditions: [] };
  }
  return { measured: expr, ...withUnit(expr), conditions: conditionsOf(expr, top) };
}

const withUnit = (measured: string): { unit?: string } => {
  const unit = unitFromExpression(measured);
  return unit ? { unit } : {};
};

/**
 * Splits `X > 0.05` into the measured part `X` and the threshold, so the on-call sees the current
 * value of X (for `up == 0`: the 1/0 of `up`, not an empty filter result). Only a comparison
 * against a number that is the whole expression is split; anything else (`a > 1 and b > 2`) is
 * left to thresholdConditions.
 * @example splitThreshold('rate(x[5m]) > 0.5') // => { measured: 'rate(x[5m])', threshold: '> 0.5' }
 */
export function splitThreshold(expr: string): { measured: string; threshold?: string } {
  const { measured, threshold } = analyseExpression(expr);
  return threshold ? { measured, threshold } : { measured };
}

/**
 * Every comparison against a number that the alert's firing depends on, through `and`, `or`, the
 * left side of `unless` and parentheses. A multi-window burn-rate alert
 * `(a > 14.4 and b > 14.4) or (c > 6 and d > 6)` gives four, so each window can be shown against
 * its own threshold. Comparisons inside functions or arithmetic are not conditions of the alert;
 * neither is the right side of `unless` (it suppresses, it does not fire). An expression that
 * is a single comparison, or does not parse, gives none.
 * @example thresholdConditions('a{x="1"} > 2 and 0.5 < b') // => [{ name: 'a', measured: 'a{x="1"}', threshold: '> 2' }, { name: 'b', measured: 'b', threshold: '> 0.5' }]
 */
export function thresholdConditions(expr: string): readonly ThresholdCondition[] {
  return analyseExpression(expr).conditions;
}

function conditionsOf(expr: string, top: Node): ThresholdCondition[] {
  const out: Array<Omit<ThresholdCondition, 'name'> & { node: Node }> = [];
  const walk = (node: Node | null): void => {
    if (!node || out.length >= MAX_CONDITIONS) return;
    if (node.name === 'ParenExpr') return walk(node.firstChild);
    const c = comparison(node);
    const set = node.name === 'BinaryExpr' ? node.firstChild?.nextSibling?.name : undefined;
    if (c?.rhs.name === NUMBER) {
      out.push({ node: c.lhs, measured: text(expr, c.lhs), threshold: `${c.op} ${text(expr, c.rhs)}` });
    } else if (c?.lhs.name === NUMBER) {
      const op = MIRRORED[c.op] ?? c.op;
      out.push({ node: c.rhs, measured: text(expr, c.rhs), threshold: `${op} ${text(expr, c.lhs)}` });
    } else if (set === 'Unless') {
      walk(node.firstChild);
    } else if (set && SET_OPERATORS.has(set)) {
      walk(node.firstChild);
      walk(node.lastChild);
    }
  };
  walk(top);
  const unique = out.filter(
    (c, i) => out.findIndex((o) => o.measured === c.measured && o.threshold === c.threshold) === i,
  );
  const short = unique.map((c) => withoutMatchers(expr, c.node));
  // Two windows that differ only in their matchers keep them, or they would read alike.
  return unique.map((c, i) => ({
    name: cut(
      short[i] && short.indexOf(short[i]) === short.lastIndexOf(short[i]) ? short[i] : oneLine(c.measured),
      MAX_NAME,
    ),
    measured: c.measured,
    threshold: c.threshold,
    ...withUnit(c.measured),
  }));
}

/** How deep brackets nest, strings aside, and whether every one closes in order. */
function brackets(expr: string): { depth: number; balanced: boolean } {
  let depth = 0;
  let max = 0;
  let balanced = true;
  for (const c of stripStrings(expr)) {
    if (c === '(' || c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === ')' || c === '}' || c === ']') balanced &&= --depth >= 0;
  }
  return { depth: max, balanced: balanced && depth === 0 };
}

const TRAILING_COMPARISON =
  /(==|!=|>=|<=|>|<)\s*(bool\s+)?([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?Inf|NaN)\s*$/i;

/** Without the grammar: a trailing comparison against a number at the top level, as before it. */
function trailingComparison(expr: string): { measured: string; threshold?: string } {
  const m = TRAILING_COMPARISON.exec(expr);
  if (!m) return { measured: expr };
  const lhs = expr.slice(0, m.index).trim();
  if (!lhs || !brackets(lhs).balanced || /(==|!=|>=|<=|[<>])\s*$/.test(lhs)) return { measured: expr };
  // `a and b > 1`: splitting would change which part the threshold belongs to.
  if (/\b(and|or|unless)\b/i.test(stripStrings(lhs))) return { measured: expr };
  return { measured: lhs, threshold: `${m[1]} ${m[3]}` };
}

function stripStrings(s: string): string {
  return s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
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
