/**
 * Every link in what a vendor received (a Slack request body, a PagerDuty event, a rendered outbox
 * entry): `url`/`href`/`client_url`/`src` fields, `<target|text>` sequences in Slack mrkdwn, `href`
 * and `src` attributes in email HTML, and the lines under "Links:" in the email text ("Runbook: <url>").
 * @example for (const link of linksIn(slackRequest.body)) assert.match(link, /^https?:\/\//)
 */
export function linksIn(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, key: string, parent: Record<string, unknown> | undefined): void => {
    if (typeof v === 'string') {
      if (['url', 'href', 'client_url', 'src', 'image_url'].includes(key)) out.push(v);
      // Slack mrkdwn: every `<...>` is a link, a mention or a date; we write links and dates only,
      // and a date is exactly the token format-slack-message writes (anything else counts as a link).
      if (key === 'text' && parent?.type === 'mrkdwn')
        for (const m of v.matchAll(/<([^<>|]*)[|>]/g))
          if (!/^!date\^\d+\^\{date_short_pretty\} \{time\}$/.test(m[1]!)) out.push(m[1]!);
      if (key === 'html') for (const m of v.matchAll(/\s(?:href|src)\s*=\s*"([^"]*)"/gi)) out.push(m[1]!);
      if (key === 'text' && parent && 'subject' in parent)
        for (const block of v.matchAll(/^Links:\n((?:.+(?:\n|$))+)/gm))
          for (const line of block[1]!.split('\n').filter(Boolean)) out.push(/: (\S*)$/.exec(line)?.[1] ?? line);
      return;
    }
    if (Array.isArray(v)) v.forEach((x) => visit(x, key, parent));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) visit(x, k, o);
    }
  };
  visit(value, '', undefined);
  return out;
}
