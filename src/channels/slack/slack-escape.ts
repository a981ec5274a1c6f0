import { cut } from '../../lib/truncate.js';

/**
 * Slack mrkdwn escaping: only `&`, `<` and `>`. Every mention or link is an angle-bracket sequence
 * (`<!channel>`, `<@U1>`, `<https://x|y>`), so this neutralises injection from label values.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A mrkdwn link `<url|text>`. Slack ends the URL at the first `|` and has no escape for it, so a
 * `|` in the URL (legal in a query) is percent-encoded, which means the same to the server.
 * @example slackLink('http://prom/graph?g0.expr=a|b', 'graph') // '<http://prom/graph?g0.expr=a%7Cb|graph>'
 */
export function slackLink(url: string, text: string): string {
  return `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(text)}>`;
}

/**
 * A mrkdwn code span. Slack has no escape for a backtick inside one, so it becomes U+02CB (a
 * modifier grave accent that looks the same) rather than ending the span and formatting the rest.
 * @example slackCode('pod=`x`') // '`pod=ˋxˋ`'
 */
export function slackCode(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, '\u02cb')}\``;
}

/**
 * Cuts escaped mrkdwn to at most `max` characters with an ellipsis, never inside an entity
 * (`&amp;`), a link or mention (`<...>`), and closing a code span the cut left open.
 * @example truncateMrkdwn('a &amp; b', 4) // 'a …'
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = cut(text, Math.max(0, max - 2));
  const amp = out.lastIndexOf('&');
  if (amp >= 0 && amp >= out.length - 4 && !out.includes(';', amp)) out = out.slice(0, amp);
  const lt = out.lastIndexOf('<');
  if (lt > out.lastIndexOf('>')) out = out.slice(0, lt);
  if ((out.split('`').length - 1) % 2 === 1) out += '`';
  return `${out}…`;
}
