import { escapeHtml as e } from '../../lib/html-escape.js';
import { emojiText, mrkdwnToHtml } from './mrkdwn-html.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** A Block Kit text object: mrkdwn rendered, plain_text escaped (with its emoji shortcodes). */
function textObject(t: unknown): string {
  if (!isObj(t) || typeof t.text !== 'string') return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(t.text) : emojiText(e(t.text)).replace(/\n/g, '<br>');
}

/** A button: a link when it has an http(s) url, as Slack opens it; otherwise just its label. */
function button(b: Obj): string {
  const label = textObject(b.text);
  const url = typeof b.url === 'string' && /^https?:\/\//i.test(b.url) ? b.url : undefined;
  const style = b.style === 'danger' || b.style === 'primary' ? ` ${b.style}` : '';
  return url
    ? `<a class="sl-btn${style}" href="${e(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`
    : `<span class="sl-btn${style}">${label}</span>`;
}

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
      }${isObj(b.accessory) && b.accessory.type === 'button' ? button(b.accessory) : ''}</div>`;
    }
    case 'context':
      return `<div class="sl-context">${list(b.elements)
        .map((el) => `<span>${textObject(el)}</span>`)
        .join('')}</div>`;
    case 'divider':
      return '<hr class="sl-divider">';
    case 'actions':
      return `<div class="sl-actions">${list(b.elements)
        .filter((el) => el.type === 'button')
        .map(button)
        .join('')}</div>`;
    default:
      return `<div class="sl-context"><span>[${e(String(b.type))} block]</span></div>`;
  }
}

/**
 * A Slack message (`{text, blocks}`, as chat.postMessage receives it) drawn the way Slack shows
 * it: the app's name and time, then each block. The notification line (`text`) is what a phone's
 * lock screen shows, so it is kept underneath.
 * @example slackCard({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'FIRING' } }] }, '12:40')
 */
export function slackCard(message: unknown, time: string): string {
  const m = isObj(message) ? message : {};
  const blocks = list(m.blocks);
  const body =
    blocks.length > 0 ? blocks.map(block).join('') : typeof m.text === 'string' ? mrkdwnToHtml(m.text) : '';
  return `<div class="slack"><div class="sl-app"><span class="sl-avatar" aria-hidden="true">AR</span><b>alert-router</b><span class="sl-tag">APP</span><small>${e(time)}</small></div>
<div class="sl-body">${body}</div>${
    typeof m.text === 'string' && blocks.length > 0
      ? `<p class="sl-notification"><small>Notification: ${mrkdwnToHtml(m.text)}</small></p>`
      : ''
  }</div>`;
}
