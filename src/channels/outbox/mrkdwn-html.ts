import { escapeHtml } from '../../lib/html-escape.js';

/**
 * The emoji shortcodes our own messages use, drawn with CSS (outbox-page.ts: `.emoji-<name>`)
 * rather than as characters: a machine without a colour emoji font (a server's headless browser)
 * would show empty boxes. The character stays as the accessible name.
 */
const EMOJI: Readonly<Record<string, string>> = {
  fire: '🔥',
  white_check_mark: '✅',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  large_green_circle: '🟢',
  white_circle: '⚪',
  warning: '⚠️',
  book: '📖',
  // The Slack actions' line: acknowledged, silenced, a silence ended.
  eyes: '👀',
  mute: '🔇',
  bell: '🔔',
};

/** Slack's own escaping undone: in mrkdwn, `&lt;` is a literal `<` (and so on for `&amp;`, `&gt;`). */
const unescapeMrkdwn = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Shortcodes as characters (`:fire:`); unknown ones stay as written, as Slack shows them. */
export const emojiText = (escaped: string): string =>
  escaped.replace(/:([a-z0-9_+-]+):/g, (m, name: string) =>
    EMOJI[name] ? `<span class="emoji emoji-${name}" role="img" aria-label="${EMOJI[name]}"></span>` : m,
  );

/**
 * Bold, italic and strike in one run of text without links or code. Slack takes a delimiter only
 * at a word boundary (`a*b*c` stays as written). The text is HTML-escaped first, and escaping adds
 * none of `*`, `_`, `~`, so the only tags in the result are these.
 */
function styled(text: string): string {
  let h = emojiText(escapeHtml(unescapeMrkdwn(text)));
  for (const [mark, tag] of [
    ['\\*', 'b'],
    ['_', 'i'],
    ['~', 's'],
  ] as const)
    h = h.replace(
      new RegExp(`(^|[^\\w${mark}])${mark}(?=\\S)([^${mark}\\n]*?\\S)${mark}(?![\\w${mark}])`, 'g'),
      `$1<${tag}>$2</${tag}>`,
    );
  return h.replace(/\n/g, '<br>');
}

/** Where a link may point when followed from our page: the web and mail, never `javascript:`. */
function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** `<url|text>`, `<url>`, `<!here>`, `<@U123>`, `<#C123|name>`, `<!date^…|fallback>` as Slack shows them. */
function angle(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  // `<!date^unix^format|fallback>`: Slack shows it in the reader's time zone; the page, without
  // script, shows the UTC fallback (https://api.slack.com/reference/surfaces/formatting#date-formatting).
  const date = /^!date\^(\d{1,12})\^/.exec(target);
  if (date) {
    const iso = new Date(Number(date[1]) * 1000).toISOString();
    return `<time datetime="${iso}">${escapeHtml(unescapeMrkdwn(label ?? iso))}</time>`;
  }
  if (target.startsWith('!')) {
    const name = label ?? target.slice(1).split('^')[0]!;
    return `<span class="mention">@${escapeHtml(unescapeMrkdwn(name))}</span>`;
  }
  if (target.startsWith('@') || target.startsWith('#')) {
    const name = label ?? target.slice(1);
    return `<span class="mention">${target[0]}${escapeHtml(unescapeMrkdwn(name))}</span>`;
  }
  const href = safeHref(unescapeMrkdwn(target));
  const text = styled(label ?? target);
  return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

/**
 * Slack mrkdwn (https://api.slack.com/reference/surfaces/formatting) as safe HTML: code blocks,
 * code spans, links and mentions, bold, italic, strike, line breaks and the emoji we use. Every
 * piece of text is HTML-escaped; links keep only http(s) and mailto targets.
 * @example mrkdwnToHtml('*High* <https://x.test/?a=1&amp;b=2|runbook>') // '<b>High</b> <a href="https://x.test/?a=1&amp;b=2" ...>runbook</a>'
 */
export function mrkdwnToHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]+)>/g)) {
    out += styled(text.slice(last, m.index));
    if (m[1] !== undefined) out += `<pre>${escapeHtml(unescapeMrkdwn(m[1]))}</pre>`;
    else if (m[2] !== undefined) out += `<code>${escapeHtml(unescapeMrkdwn(m[2]))}</code>`;
    else out += angle(m[3]!);
    last = m.index + m[0].length;
  }
  return out + styled(text.slice(last));
}
