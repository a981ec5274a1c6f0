/** One Alertmanager-style label matcher: `name="value"`, `name!="v"`, `name=~"re"`, `name!~"re"`. */
export interface Matcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  readonly regex?: RegExp;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))\s*$/;

/**
 * Parses a matcher string. Regexes are anchored, as in Alertmanager.
 * @example parseMatcher('severity=~"critical|warning"')
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
      return { name, op, value, regex: new RegExp(`^(?:${value})$`) };
    } catch {
      throw new Error(`invalid regular expression in ${JSON.stringify(text)}`);
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
      return matcher.regex!.test(actual);
    case '!~':
      return !matcher.regex!.test(actual);
  }
}
