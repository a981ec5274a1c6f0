import { escapeHtml as e } from '../../lib/html-escape.js';
import { emojiText, mrkdwnToHtml } from './mrkdwn-html.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const webUrl = (v: unknown): string | undefined =>
  typeof v === 'string' && /^https?:\/\//i.test(v) ? v : undefined;

/** A Block Kit text object: mrkdwn rendered, plain_text escaped (with its emoji shortcodes). */
function textObject(t: unknown): string {
  if (!isObj(t) || typeof t.text !== 'string') return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(t.text) : emojiText(e(t.text)).replace(/\n/g, '<br>');
}

/**
 * A button: a link when it has an http(s) url, as Slack opens it; otherwise a button that, in
 * Slack, sends the click to the app (Acknowledge, Unsilence). Here it does nothing: no form, no
 * script, and `aria-disabled` says so to a screen reader.
 */
function button(b: Obj): string {
  const label = textObject(b.text);
  const url = webUrl(b.url);
  const style = b.style === 'danger' || b.style === 'primary' ? ` ${b.style}` : '';
  return url
    ? `<a class="sl-btn${style}" href="${e(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`
    : `<button class="sl-btn${style}" type="button" aria-disabled="true">${label}</button>`;
}

/**
 * A static_select as Slack draws it, a box with its placeholder (or initial option) and a chevron;
 * a tap opens its options. A `<details>` needs no script, and nothing can be "chosen" on the page.
 * https://api.slack.com/reference/block-kit/block-elements#static_select
 */
function staticSelect(s: Obj): string {
  const options = [...list(s.options), ...list(s.option_groups).flatMap((g) => list(g.options))];
  const initial = isObj(s.initial_option) ? textObject(s.initial_option.text) : '';
  const shown = initial || `<span class="sl-placeholder">${textObject(s.placeholder)}</span>`;
  return `<details class="sl-select"><summary>${shown}</summary><ul class="sl-menu">${options
    .map((o) => `<li>${textObject(o.text)}</li>`)
    .join('')}</ul></details>`;
}

/** An interactive element of an actions block or a section's accessory. */
function element(el: Obj): string {
  if (el.type === 'button') return button(el);
  if (el.type === 'static_select') return staticSelect(el);
  return `<span class="sl-element">[${e(String(el.type))}]</span>`;
}

/** Whether an element acts through the app when used in Slack: everything but a link button. */
const isControl = (el: Obj): boolean => !(el.type === 'button' && webUrl(el.url));

function block(b: Obj): string {
  switch (b.type) {
    case 'header':
      return `<div class="sl-header">${textObject(b.text)}</div>`;
    case 'section': {
      const fields = list(b.fields);
      return `<div class="sl-section">${b.text ? `<div>${textObject(b.text)}</div>` : ''}${
        fields.length > 0
          ? `<div class="sl-fields">${fields.map((f) => `<div>${textObject(f)}</div>`).join('')}</div>`
          : ''
      }${isObj(b.accessory) && b.accessory.type !== 'image' ? element(b.accessory) : ''}</div>`;
    }
    case 'context':
      return `<div class="sl-context">${list(b.elements)
        .map((el) => `<span>${textObject(el)}</span>`)
        .join('')}</div>`;
    case 'divider':
      return '<hr class="sl-divider">';
    case 'actions':
      return `<div class="sl-actions">${list(b.elements).map(element).join('')}</div>`;
    default:
      return `<div class="sl-context"><span>[${e(String(b.type))} block]</span></div>`;
  }
}

/** The elements of a message that act through the app when used in Slack. */
function controlsOf(blocks: readonly Obj[]): Obj[] {
  return blocks
    .flatMap((b) =>
      b.type === 'actions'
        ? list(b.elements)
        : isObj(b.accessory) && b.accessory.type !== 'image'
          ? [b.accessory]
          : [],
    )
    .filter(isControl);
}

/**
 * A Slack message (`{text, blocks}`, as chat.postMessage receives it) drawn the way Slack shows
 * it: the app's name and time, then each block. Buttons and menus that act through the app (Slack
 * actions) are drawn but inert, with one note saying so. The notification line (`text`) is what a
 * phone's lock screen shows, so it is kept underneath.
 * @example slackCard({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'FIRING' } }] }, '12:40')
 */
export function slackCard(message: unknown, time: string): string {
  const m = isObj(message) ? message : {};
  const blocks = list(m.blocks);
  const body =
    blocks.length > 0 ? blocks.map(block).join('') : typeof m.text === 'string' ? mrkdwnToHtml(m.text) : '';
  const note =
    controlsOf(blocks).length > 0
      ? '<p class="sl-note">These controls act in Slack: the outbox is a preview, and using them here does nothing.</p>'
      : '';
  return `<div class="slack"><div class="sl-app"><span class="sl-avatar" aria-hidden="true">AR</span><b>alert-router</b><span class="sl-tag">APP</span><small>${e(time)}</small></div>
<div class="sl-body">${body}${note}</div>${
    typeof m.text === 'string' && blocks.length > 0
      ? `<p class="sl-notification"><small>Notification: ${mrkdwnToHtml(m.text)}</small></p>`
      : ''
  }</div>`;
}
