/** At most `max` UTF-16 units of text, never half a surrogate pair (the core imports no lib/). */
const head = (text: string, max: number): string =>
  text.length <= max ? text : text.slice(0, /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max);

/** A sample rendered for a human: the number with 3 significant digits and its display unit. */
export interface FormattedValue {
  readonly value: string;
  readonly unit?: string;
}

const FACTOR = '×';
const BURN_RATE = '× budget burn rate';

const sig3 = (x: number): string => {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  // toPrecision(3) gives "1.23e+3" for 1234: Number() brings it back to plain notation.
  return String(Number(x.toPrecision(3)));
};

function scaled(x: number, steps: ReadonlyArray<readonly [number, string]>): FormattedValue {
  const abs = Math.abs(x);
  for (const [factor, unit] of steps) {
    if (abs >= factor) return { value: sig3(x / factor), unit };
  }
  const last = steps[steps.length - 1]!;
  return { value: sig3(x / last[0]), unit: last[1] };
}

function seconds(x: number): FormattedValue {
  const abs = Math.abs(x);
  if (abs === 0) return { value: '0', unit: 's' };
  // Minutes from 2 min and hours from 2 h: "90 s" reads better than "1.5 min".
  if (abs >= 7200) return { value: sig3(x / 3600), unit: 'h' };
  if (abs >= 120) return { value: sig3(x / 60), unit: 'min' };
  return scaled(x, [
    [1, 's'],
    [1e-3, 'ms'],
    [1e-6, 'µs'],
  ]);
}

const SI: ReadonlyArray<readonly [number, string]> = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Formats a Prometheus sample (as Prometheus writes it, "0.0523", "NaN", "+Inf", or a number) for
 * the on-call: the one rendering of a value in every channel and on the runbook pages. NaN becomes
 * "no data (NaN)", infinities "+Inf"/"-Inf" as Prometheus writes them, numbers get 3 significant
 * digits, and the runbook's unit picks a readable scale: `ratio` -> %, `seconds` ->
 * µs/ms/s/min/h, `bytes` -> B/KiB/MiB/GiB/TiB, `percent` -> %, `x`/`factor` -> ×, and
 * `burn_rate` -> "× budget burn rate" (a burn rate is a multiple of the sustainable error rate:
 * https://sre.google/workbook/alerting-on-slos/, so "30" alone reads as a count).
 * @example formatValue('0.01234', 'ratio') // => { value: '1.23', unit: '%' }
 * @example valueText(formatValue('30', 'burn_rate')) // => '30× budget burn rate'
 */
export function formatValue(raw: string | number, unit?: string): FormattedValue {
  const trimmed = typeof raw === 'number' ? String(raw) : raw.trim();
  if (/^(nan)?$/i.test(trimmed)) return { value: 'no data (NaN)' };
  if (/^\+?inf(inity)?$/i.test(trimmed)) return { value: '+Inf' };
  if (/^-inf(inity)?$/i.test(trimmed)) return { value: '-Inf' };
  const x = Number(trimmed);
  if (!Number.isFinite(x)) return { value: head(trimmed, 40) };
  switch ((unit ?? '').toLowerCase()) {
    case 'ratio':
      return { value: sig3(x * 100), unit: '%' };
    case 'percent':
    case '%':
      return { value: sig3(x), unit: '%' };
    case 'seconds':
    case 's':
      return seconds(x);
    case 'x':
    case '×':
    case 'factor':
      return { value: sig3(x), unit: FACTOR };
    case 'burn_rate':
    case 'burn rate':
      return { value: sig3(x), unit: BURN_RATE };
    case 'bytes':
    case 'b':
      if (Math.abs(x) < 1024) return { value: sig3(x), unit: 'B' };
      return scaled(x, [
        [1024 ** 4, 'TiB'],
        [1024 ** 3, 'GiB'],
        [1024 ** 2, 'MiB'],
        [1024, 'KiB'],
      ]);
    case '': {
      if (Math.abs(x) < 1e3) return { value: sig3(x) };
      // "1.5k", not "1.5 k": an SI prefix with no unit reads as part of the number.
      const si = scaled(x, SI);
      return { value: `${si.value}${si.unit ?? ''}` };
    }
    default:
      return { value: sig3(x), unit: head(unit!, 20) };
  }
}

/** A formatted value as one string, value and unit: "5.23 %", "250 ms", "30×", "no data (NaN)". */
export const valueText = (f: FormattedValue): string =>
  // A factor's × belongs to the number, as in "30×".
  f.unit ? `${f.value}${f.unit.startsWith(FACTOR) ? '' : ' '}${f.unit}` : f.value;

/**
 * A threshold in the unit of the value it is compared with, so "5.87 %" is not set against
 * "> 0.05": `> 0.05` of a ratio reads `> 5 %`, a burn rate's `> 14.4` reads `> 14.4×`. Without a
 * unit, or for anything but `op number`, the threshold is kept as written.
 * @example thresholdText('> 0.05', 'ratio') // => '> 5 %'
 */
export function thresholdText(threshold: string, unit?: string): string {
  const m = /^(==|!=|>=|<=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)$/i.exec(threshold.trim());
  if (!m || !unit) return threshold;
  const f = formatValue(m[2]!, unit);
  return `${m[1]} ${f.unit?.startsWith(FACTOR) ? `${f.value}${FACTOR}` : valueText(f)}`;
}

/** formatValue as one string. */
export function formatValueText(raw: string | number, unit?: string): string {
  return valueText(formatValue(raw, unit));
}

/**
 * Guesses a unit from the expression's metric names (Prometheus naming conventions), used for the
 * alert's own expression, which has no runbook unit. Rates of counters are left unitless.
 * @example unitFromExpression('slo:burn_rate:5m{slo="a"} > 14.4 and slo:burn_rate:1h{slo="a"} > 14.4') // => 'burn_rate'
 * @example unitFromExpression('histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m])))') // => 'seconds'
 */
export function unitFromExpression(expr: string): string | undefined {
  const names = new Set(expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*[{[]|\s*$)/g) ?? []);
  // A burn-rate alert compares several windows of one burn rate (slo:burn_rate:5m and :1h): when
  // every metric it reads is a burn rate, so is its value.
  if (names.size > 0 && [...names].every((n) => /(^|[_:])burn_rate([_:]|$)/.test(n))) return 'burn_rate';
  if (/histogram_quantile\s*\(/.test(expr) && /_seconds_bucket\b/.test(expr)) return 'seconds';
  if (/histogram_quantile\s*\(/.test(expr) && /_bytes_bucket\b/.test(expr)) return 'bytes';
  if (names.size !== 1) return undefined;
  const name = [...names][0]!;
  if (/(^|[_:])ratio([_:]|$)/.test(name)) return 'ratio';
  if (/\b(rate|irate|increase|deriv)\s*\(/.test(expr)) return undefined;
  if (/_seconds$/.test(name)) return 'seconds';
  if (/_bytes$/.test(name)) return 'bytes';
  return undefined;
}
