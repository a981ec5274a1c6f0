const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Cuts text to at most `max` UTF-16 units (what Slack, PagerDuty and our own limits count) with an
 * ellipsis, never between the two halves of a surrogate pair: a cut emoji would otherwise become a
 * lone surrogate, which breaks URL encoding and every vendor's JSON parser.
 * @example truncate('ab🔥cd', 4) // 'ab…'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cut(text, Math.max(0, max - 1))}…`;
}

/** The first `max` UTF-16 units of `text` or one fewer, so that no surrogate pair is split. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}
