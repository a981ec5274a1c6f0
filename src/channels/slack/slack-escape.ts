/**
 * Slack mrkdwn escaping: only `&`, `<` and `>`. Every mention or link is an angle-bracket sequence
 * (`<!channel>`, `<@U1>`, `<https://x|y>`), so this neutralises injection from label values.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
