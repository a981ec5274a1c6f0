import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mrkdwnToHtml } from '../../src/channels/outbox/mrkdwn-html.js';
import { slackCard } from '../../src/channels/outbox/slack-card.js';
import { pagerdutyCard } from '../../src/channels/outbox/pagerduty-card.js';
import { escapeMrkdwn, slackCode, slackLink } from '../../src/channels/slack/slack-escape.js';

describe('Slack mrkdwn as HTML (the outbox)', () => {
  it('renders bold, italic, strike, code, links and line breaks as Slack does', () => {
    assert.equal(mrkdwnToHtml('*High* _now_ ~gone~\nnext'), '<b>High</b> <i>now</i> <s>gone</s><br>next');
    assert.equal(mrkdwnToHtml('snake_case_name 2*3*4'), 'snake_case_name 2*3*4', 'no delimiter inside a word');
    assert.equal(mrkdwnToHtml('`a*b*` ```x\n*y*```'), '<code>a*b*</code> <pre>x\n*y*</pre>');
    assert.equal(
      mrkdwnToHtml(slackLink('http://prom/graph?g0.expr=a|b&c=<d>', 'graph')),
      '<a href="http://prom/graph?g0.expr=a%7Cb&amp;c=%3Cd%3E" target="_blank" rel="noopener noreferrer">graph</a>',
    );
  });

  it('shows what our escaping protects as text, once', () => {
    const hostile = `<!channel> <script>alert(1)</script> & "q" 'a'`;
    const html = mrkdwnToHtml(`*${escapeMrkdwn(hostile)}* ${slackCode(hostile)}`);
    assert.doesNotMatch(html, /<script|<!channel/);
    assert.ok(html.includes('<b>&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;</b>'), html);
    assert.ok(html.includes('<code>&lt;!channel&gt;'), html);
  });

  it('keeps only web and mail links; mentions are shown, not linked', () => {
    assert.equal(mrkdwnToHtml('<javascript:alert(1)|click>'), 'click');
    assert.equal(mrkdwnToHtml('<data:text/html,x>'), 'data:text/html,x');
    assert.equal(mrkdwnToHtml('<!here> <@U1|ana>'), '<span class="mention">@here</span> <span class="mention">@ana</span>');
  });

  it("shows a Slack date by its UTC fallback, as a time, not a mention", () => {
    assert.equal(
      mrkdwnToHtml('since <!date^1795612800^{date_short_pretty} {time}|2026-11-25 13:20 UTC>'),
      'since <time datetime="2026-11-25T13:20:00.000Z">2026-11-25 13:20 UTC</time>',
    );
    assert.equal(
      mrkdwnToHtml('<!date^1^{time}|a &lt;b&gt; &amp;>'),
      '<time datetime="1970-01-01T00:00:01.000Z">a &lt;b&gt; &amp;</time>',
    );
  });

  it('draws a Block Kit message: header, fields, context, divider, link buttons only for http(s)', () => {
    const html = slackCard(
      {
        text: 'FIRING',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'FIRING <b>x</b> :fire:' } },
          { type: 'section', text: { type: 'mrkdwn', text: '*a*' }, fields: [{ type: 'mrkdwn', text: '*team*\nx' }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: '+3 more' }] },
          { type: 'divider' },
          { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: 'https://ar/runbooks/X' }, { type: 'button', text: { type: 'plain_text', text: 'Evil' }, url: 'javascript:alert(1)' }] },
          { type: 'video' },
        ],
      },
      '03:12',
    );
    assert.ok(html.includes('<div class="sl-header">FIRING &lt;b&gt;x&lt;/b&gt; <span class="emoji emoji-fire"'), html);
    assert.ok(html.includes('<div class="sl-fields"><div><b>team</b><br>x</div></div>'), html);
    assert.ok(html.includes('<a class="sl-btn" href="https://ar/runbooks/X"'), html);
    assert.ok(html.includes('<button class="sl-btn" type="button" aria-disabled="true">Evil</button>'), html);
    assert.ok(html.includes('[video block]'));
    assert.doesNotMatch(html, /javascript:/);
    assert.doesNotMatch(slackCard('not a message', 'x'), /undefined/);
  });

  it('draws a PagerDuty event with its severity, summary and details, escaped', () => {
    const html = pagerdutyCard({
      event_action: 'trigger',
      dedup_key: 'abc',
      payload: { summary: '<b>s</b>', severity: 'critical', source: 'gw', custom_details: { firing: 2, common_labels: { team: 'ml' }, alerts: [{ a: 1 }] } },
      links: [{ href: 'https://ar/runbooks/X', text: 'Runbook' }, { href: 'javascript:x', text: 'Evil' }],
    });
    assert.ok(html.includes('<p class="pd-summary">&lt;b&gt;s&lt;/b&gt;</p>'), html);
    assert.ok(html.includes('<span class="badge sev-critical">critical</span>'));
    assert.ok(html.includes('<dt>common_labels</dt><dd><div>team: ml</div></dd>'), html);
    assert.ok(html.includes('<summary>1 item</summary>'));
    assert.doesNotMatch(html, /javascript:|Evil/);
  });
});
