import { RE2JS } from 're2js';

/** One Alertmanager-style label matcher: `name="value"`, `name!="v"`, `name=~"re"`, `name!~"re"`. */
export interface Matcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  /** The compiled regex of `=~` and `!~`, already anchored. */
  readonly regex?: RE2JS;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))\s*$/;

/**
 * Parses a matcher string. Regexes are RE2, anchored as `^(?:re)$`, exactly as Alertmanager
 * compiles them (https://github.com/prometheus/alertmanager/blob/main/pkg/labels/matcher.go), so
 * a route matches here what it matches there: `(?i)` works, lookaheads and backreferences are
 * rejected (JavaScript's RegExp would accept those and choke on `(?i)`). RE2 also runs in time
 * linear in the label value.
 * @example parseMatcher('severity=~"(?i)critical|warning"')
 */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m)
    throw new Error(
      `not a matcher: ${JSON.stringify(text)} (expected name="value", name!="v", name=~"re" or name!~"re")`,
    );
  const name = m[1] as string;
  const op = m[2] as Matcher['op'];
  const value = m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : (m[4] ?? '');
  if (op === '=~' || op === '!~') {
    try {
      // Compiled alone first, so an error quotes what was written, not our anchored form.
      RE2JS.compile(value);
      return { name, op, value, regex: RE2JS.compile(`^(?:${value})$`) };
    } catch (err) {
      throw new Error(`invalid regular expression in ${JSON.stringify(text)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return { name, op, value };
}

/** A missing label matches as the empty string, as in Alertmanager. */
export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcher.regex!.matches(actual);
    case '!~':
      return !matcher.regex!.matches(actual);
  }
}
