/** A label *name* as Prometheus defines it; names are never interpolated, only checked. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A value that cannot be written as a PromQL string literal (a lone UTF-16 surrogate). */
export class PromqlEscapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromqlEscapeError';
  }
}

// With the `u` flag a well-formed pair is one code point, so this only matches lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// JSON.stringify leaves DEL, C1 controls and the JS line separators raw; PromQL accepts them raw
// too, but escaping them keeps queries printable in logs and Prometheus' query log.
const EXTRA_CONTROLS = /[\u007f-\u009f\u2028\u2029]/g;
const RE2_META = /[\\.+*?()|[\]{}^$]/g;

function assertWellFormed(value: string): void {
  if (LONE_SURROGATE.test(value)) throw new PromqlEscapeError('label value contains a lone UTF-16 surrogate');
}

/**
 * A label value as a double-quoted PromQL string literal. PromQL strings take Go's escapes
 * (https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals), of which JSON's
 * are a subset, except for lone surrogates, which are rejected.
 * @example promqlString('a"b') // => "\"a\\\"b\""
 */
export function promqlString(value: string): string {
  assertWellFormed(value);
  return JSON.stringify(value).replace(
    EXTRA_CONTROLS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The inside of a double-quoted literal (for a placeholder the template already put in quotes). */
export function promqlStringBody(value: string): string {
  return promqlString(value).slice(1, -1);
}

/** The inside of a single-quoted literal: `"` need not be escaped there, `'` must be. */
export function promqlSingleQuotedBody(value: string): string {
  return promqlStringBody(value).replace(/\\"/g, '"').replace(/'/g, "\\'");
}

/**
 * Escapes RE2 metacharacters so a value matches itself literally under `=~` / `!~` (which Prometheus
 * anchors). The result still needs string-literal escaping.
 * @example escapeRegex('a.b') // => "a\\.b"
 */
export function escapeRegex(value: string): string {
  return value.replace(RE2_META, (c) => `\\${c}`);
}
