const MAX_EXPR = 10_000;

/**
 * The alert's PromQL expression, read from `g0.expr` of its generatorURL. The URL itself is never
 * requested: its host is whatever Prometheus advertised (protocol-facts), so only the expression is
 * used, against the configured PROMETHEUS_URL.
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

const COMPARISON =
  /(==|!=|>=|<=|>|<)\s*(bool\s+)?([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?Inf|NaN)\s*$/i;

/**
 * Splits `X > 0.05` into the measured part `X` and the threshold, so the on-call sees the current
 * value of X (for `up == 0`: the 1/0 of `up`, not an empty filter result). Only a trailing
 * comparison against a number at the top level (outside brackets and strings) is split.
 * @example splitThreshold('rate(x[5m]) > 0.5') // => { measured: 'rate(x[5m])', threshold: '> 0.5' }
 */
export function splitThreshold(expr: string): { measured: string; threshold?: string } {
  const m = COMPARISON.exec(expr);
  if (!m) return { measured: expr };
  const lhs = expr.slice(0, m.index).trim();
  if (!lhs || !isBalanced(lhs) || /(==|!=|>=|<=|[<>])\s*$/.test(lhs)) return { measured: expr };
  // `a and b > 1`: splitting would change which part the threshold belongs to.
  if (/\b(and|or|unless)\b/i.test(stripStrings(lhs))) return { measured: expr };
  return { measured: lhs, threshold: `${m[1]} ${m[3]}` };
}

function stripStrings(s: string): string {
  return s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

function isBalanced(s: string): boolean {
  let depth = 0;
  for (const c of stripStrings(s)) {
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
