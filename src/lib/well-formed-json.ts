import { truncate } from './truncate.js';

/**
 * Deeper than any webhook v4 body needs: root > alerts > alert > labels is 4 levels, and the
 * fields newer Alertmanagers add (routeLabels) one or two more. Deeper input can only be hostile,
 * and past a few thousand levels it overflows the stack of every JSON.stringify downstream
 * (BullMQ's included), which would turn an input error into "Redis unavailable; retry".
 */
export const MAX_JSON_DEPTH = 32;

// Only a \uD800-\uDFFF escape in the JSON text can produce a lone surrogate: the UTF-8 decoder
// already replaced invalid bytes with U+FFFD. A match (even a false one, such as an escaped
// backslash before "ud800") just means the strings are checked.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

export class JsonTooDeepError extends Error {
  /** Keys from the root down to the level that is too deep; each level adds its own on the way out. */
  readonly keys: string[] = [];

  constructor() {
    super(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = 'JsonTooDeepError';
  }

  /** Where, cut short: the keys are the body's own and can be megabytes long. */
  get path(): string {
    return truncate(this.keys.join('.'), 200) || '(root)';
  }
}

const fix = (s: string): string => (s.isWellFormed() ? s : s.toWellFormed());

// The path of a too-deep value is collected only when it is thrown, so the walk of every ordinary
// body builds no strings.
function walkUnder(key: string, value: unknown, depth: number, fixStrings: boolean): unknown {
  try {
    return walk(value, depth, fixStrings);
  } catch (err) {
    if (err instanceof JsonTooDeepError) err.keys.unshift(key);
    throw err;
  }
}

function walk(value: unknown, depth: number, fixStrings: boolean): unknown {
  if (typeof value === 'string') return fixStrings ? fix(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) throw new JsonTooDeepError();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = walkUnder(String(i), value[i], depth + 1, fixStrings);
    return value;
  }
  const obj = value as Record<string, unknown>;
  let keysFixed = false;
  for (const key of Object.keys(obj)) {
    obj[key] = walkUnder(key, obj[key], depth + 1, fixStrings);
    if (fixStrings && !key.isWellFormed()) keysFixed = true;
  }
  if (!keysFixed) return obj;
  // Rebuilt only when a key itself was broken, so the usual case allocates nothing. Two keys that
  // become the same keep the first one's value, as a label set can hold a name only once.
  const rebuilt: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = fix(k);
    if (!Object.hasOwn(rebuilt, key)) rebuilt[key] = v;
  }
  return rebuilt;
}

/**
 * Applies the one rule for text at the edge: every lone UTF-16 surrogate, in any string or key,
 * becomes U+FFFD, so nothing downstream (encodeURIComponent, the Slack SDK's querystring, PromQL
 * literals) can throw on it later, after the notification was accepted. Also bounds the nesting.
 * Mutates and returns the parsed value; throws JsonTooDeepError.
 * @example wellFormedJson(JSON.parse(text), text)
 */
export function wellFormedJson(parsed: unknown, text: string): unknown {
  return walk(parsed, 0, SURROGATE_ESCAPE.test(text));
}
