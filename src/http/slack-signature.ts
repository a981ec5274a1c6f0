import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request signed more than 5 minutes away from now is refused. */
const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Verifies a request from Slack (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature` must be `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`),
 * compared in constant time, and `X-Slack-Request-Timestamp` within 5 minutes of `nowMs`.
 * Returns undefined when it holds, else why not (never echoing what was sent).
 * @example verifySlackSignature(secret, req.headers['x-slack-signature'], req.headers['x-slack-request-timestamp'], body, Date.now())
 */
export function verifySlackSignature(
  secret: string,
  signature: string | string[] | undefined,
  timestamp: string | string[] | undefined,
  rawBody: Buffer,
  nowMs: number,
): string | undefined {
  if (typeof signature !== 'string' || typeof timestamp !== 'string')
    return 'missing Slack signature headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad X-Slack-Request-Timestamp';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    return 'X-Slack-Request-Timestamp is more than 5 minutes away (replay?)';
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length differs only for a malformed header.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad X-Slack-Signature';
  return undefined;
}
