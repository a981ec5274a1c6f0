import {
  LABEL_NAME,
  escapeRegex,
  promqlSingleQuotedBody,
  promqlString,
  promqlStringBody,
} from './promql-escape.js';

/** A runbook context query that cannot be rendered safely (bad placeholder name, raw string). */
export class QueryTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryTemplateError';
  }
}

type Quote = '"' | "'" | '`' | undefined;

/** True when the string literal opened at `openAt` is the right side of `=~` or `!~`. */
function isRegexMatcher(template: string, openAt: number): boolean {
  const before = template.slice(0, openAt).trimEnd();
  return before.endsWith('=~') || before.endsWith('!~');
}

/**
 * Fills `{{ name }}` placeholders in a runbook context query with the alert's label values as
 * escaped PromQL string literals. The template is scanned so each value is escaped for where it
 * lands: outside quotes it becomes a whole literal, inside `"..."` or `'...'` it is escaped for that
 * quote, and inside a regex matcher (`=~"..."`) RE2 metacharacters are escaped first. Only label
 * *values* are inserted; a placeholder name must look like a label name.
 *
 * Returns `undefined` when the alert lacks a label the query needs (the query is skipped).
 * Throws QueryTemplateError for an invalid template and PromqlEscapeError for an unencodable value.
 * @example renderQuery('up{job="{{ job }}"}', { job: 'a"b' }) // => 'up{job="a\\"b"}'
 */
export function renderQuery(template: string, labels: Readonly<Record<string, string>>): string | undefined {
  let out = '';
  let quote: Quote;
  let openAt = -1;
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '{' && template[i + 1] === '{') {
      const end = template.indexOf('}}', i + 2);
      if (end < 0) throw new QueryTemplateError('unclosed "{{" placeholder');
      const name = template.slice(i + 2, end).trim();
      if (!LABEL_NAME.test(name))
        throw new QueryTemplateError(`placeholder ${JSON.stringify(name)} is not a label name`);
      const value = labels[name];
      if (value === undefined) return undefined;
      if (quote === undefined) out += promqlString(value);
      else if (quote === '`')
        throw new QueryTemplateError('placeholders are not allowed inside `raw` strings');
      else {
        const v = isRegexMatcher(template, openAt) ? escapeRegex(value) : value;
        out += quote === '"' ? promqlStringBody(v) : promqlSingleQuotedBody(v);
      }
      i = end + 2;
      continue;
    }
    if (quote === undefined) {
      if (c === '"' || c === "'" || c === '`') {
        quote = c;
        openAt = i;
      }
    } else if (c === '\\' && quote !== '`') {
      out += c + (template[i + 1] ?? '');
      i += 2;
      continue;
    } else if (c === quote) {
      quote = undefined;
    }
    out += c;
    i++;
  }
  if (quote !== undefined) throw new QueryTemplateError('unterminated string literal');
  return out;
}
