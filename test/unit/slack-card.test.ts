import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderAll } from '../../src/channels/render-all.js';
import { slackCard } from '../../src/channels/outbox/slack-card.js';
import { withControls } from '../../src/channels/slack/message-controls.js';
import { formatSlackMessage } from '../../src/channels/slack/format-slack-message.js';
import { fixture } from '../../support/fixtures.js';

const opts = { publicUrl: 'http://ar.test', alertmanagerUrl: 'http://am.test:9093', maxAlertsShown: 5 };
const NOTE = /These controls act in Slack: the outbox is a preview/g;

/** The `<div class="sl-actions">…</div>` of a card: its controls and link buttons, in order. */
const actionsOf = (html: string): string => /<div class="sl-actions">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';

describe('Slack actions on the outbox card', () => {
  it('draws Acknowledge as a button, the Silence menu as a select with its options, then the links, and one note', () => {
    const { slack } = renderAll(fixture('firing'), undefined, { ...opts, interactive: true, key: 'k' });
    const html = slackCard(slack, '03:12');
    const actions = actionsOf(html);
    assert.match(
      actions,
      /^<button class="sl-btn primary" type="button" aria-disabled="true">Acknowledge<\/button><details class="sl-select"><summary><span class="sl-placeholder">Silence…<\/span><\/summary><ul class="sl-menu"><li>Silence 1h<\/li><li>Silence 4h<\/li><li>Silence 24h<\/li><\/ul><\/details><a class="sl-btn" href="http:\/\/ar\.test\/runbooks\/HighErrorRate"/,
    );
    assert.doesNotMatch(actions, />Silence<\/a>/, 'no Silence link beside the Silence menu');
    assert.equal(html.match(NOTE)?.length, 1);
    assert.doesNotMatch(html, /<form|<script|\son[a-z]+=/i, 'nothing on the card can submit or run');
  });

  it('shows who acknowledged and silenced, and Unsilence in place of the menu', () => {
    const now = Date.parse('2026-11-25T13:00:00Z');
    const message = withControls(formatSlackMessage(fixture('firing'), undefined, opts), {
      ref: 'ar1:preview',
      resolved: false,
      now,
      ack: { userId: 'U1', name: 'jane', at: now - 60_000 },
      silence: { id: 's1', userId: 'U2', name: 'sam', until: now + 4 * 3600_000, hours: 4 },
    });
    const html = slackCard(message, '13:00');
    assert.ok(
      html.includes(
        '<div class="sl-context"><span><span class="emoji emoji-eyes" role="img" aria-label="👀"></span> Acknowledged by @jane <time datetime="2026-11-25T12:59:00.000Z">2026-11-25 12:59 UTC</time>  ·  <span class="emoji emoji-mute" role="img" aria-label="🔇"></span> Silenced for 4h by @sam, until <time datetime="2026-11-25T17:00:00.000Z">2026-11-25 17:00 UTC</time></span></div>',
      ),
      html,
    );
    const actions = actionsOf(html);
    assert.match(actions, /^<button class="sl-btn" type="button" aria-disabled="true">Unsilence<\/button><a class="sl-btn"/);
    assert.doesNotMatch(actions, /Acknowledge|sl-select/);
    assert.equal(html.match(NOTE)?.length, 1);
  });

  it('has no note where every button is a link (actions off, or the group resolved)', () => {
    const off = slackCard(renderAll(fixture('firing'), undefined, { ...opts, key: 'k' }).slack, 'x');
    assert.match(actionsOf(off), />Silence<\/a>/);
    assert.doesNotMatch(off, NOTE);
    assert.doesNotMatch(off, /<button|sl-select/);
    const resolved = slackCard(renderAll(fixture('resolved'), undefined, { ...opts, interactive: true, key: 'k' }).slack, 'x');
    assert.doesNotMatch(resolved, NOTE);
    assert.doesNotMatch(resolved, /<button|sl-select/);
  });

  it('escapes a select, its options and unknown elements, and takes option groups and an initial option', () => {
    const evil = '<img src=x onerror=alert(1)> "q"';
    const html = slackCard(
      {
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'static_select', placeholder: { type: 'plain_text', text: evil }, options: [{ text: { type: 'plain_text', text: evil }, value: 'x' }] },
              {
                type: 'static_select',
                initial_option: { text: { type: 'plain_text', text: 'Two' }, value: '2' },
                option_groups: [{ label: { type: 'plain_text', text: 'G' }, options: [{ text: { type: 'plain_text', text: 'One' } }, { text: { type: 'plain_text', text: 'Two' } }] }],
              },
              { type: `overflow"><b>x` },
            ],
          },
          { type: 'section', text: { type: 'mrkdwn', text: 'pick' }, accessory: { type: 'static_select', placeholder: { type: 'plain_text', text: 'Pick' }, options: [] } },
        ],
      },
      'x',
    );
    assert.doesNotMatch(html, /<img|<b>x/);
    assert.ok(html.includes('<span class="sl-placeholder">&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;</span>'), html);
    assert.ok(html.includes('<li>&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;</li>'), html);
    assert.ok(html.includes('<summary>Two</summary><ul class="sl-menu"><li>One</li><li>Two</li></ul>'), html);
    assert.ok(html.includes('<span class="sl-element">[overflow&quot;&gt;&lt;b&gt;x]</span>'), html);
    assert.ok(html.includes('<div>pick</div><details class="sl-select"><summary><span class="sl-placeholder">Pick</span>'), html);
    assert.equal(html.match(NOTE)?.length, 1, 'one note for every control of the card');
  });
});
