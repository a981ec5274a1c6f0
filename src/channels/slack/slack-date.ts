import { utcText } from '../../alert/format-duration.js';
import { payloadTime } from '../../alert/firing-time.js';
import { cut } from '../../lib/truncate.js';
import { escapeMrkdwn } from './slack-escape.js';

/**
 * A time in the reader's own time zone and format: Slack's date token
 * `<!date^UNIX^{date_short_pretty} {time}|fallback>` ("Today 14:02", "Nov 25, 2:02 PM"), with the
 * UTC time as the fallback for clients that cannot render it
 * (https://api.slack.com/reference/surfaces/formatting#date-formatting). mrkdwn only: a plain_text
 * field would show the token as typed. A time that is not a real one (any string can arrive in a
 * payload) is shown as sent, escaped.
 * @example slackDate('2026-11-25T13:02:04Z') // => '<!date^1795611724^{date_short_pretty} {time}|2026-11-25 13:02 UTC>'
 */
export function slackDate(iso: string): string {
  const ms = payloadTime(iso);
  if (ms === undefined) return `${escapeMrkdwn(cut(iso, 19).replace('T', ' '))} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${utcText(ms)}>`;
}
