import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from 'pino';

export function responseUrlKey(prefix: string, clickId: string): string {
  return `${prefix}:slack:response-url:${clickId}`;
}

/**
 * Whether a response_url may be posted to: Slack's own (https://hooks.slack.com/...), or the
 * Slack-compatible server SLACK_API_URL names (tests, proxies). Anything else is not followed, so
 * a payload cannot make the workers post to an address of its choosing.
 */
export function responseUrlAllowed(url: string, slackApiUrl: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && u.hostname === 'hooks.slack.com') return true;
    return u.origin === new URL(slackApiUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Tells the user who clicked, privately (an ephemeral message through the click's response_url).
 * Best effort: a lost notice must not undo or repeat the action, so failures are only logged.
 */
export async function tellUser(
  redis: RedisClient,
  prefix: string,
  clickId: string,
  text: string,
  logger: Logger,
): Promise<void> {
  const url = await redis.get(responseUrlKey(prefix, clickId)).catch(() => null);
  if (!url) {
    logger.info({ clickId }, 'no response_url to tell the user with');
    return;
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) logger.warn({ clickId, status: res.status }, 'response_url refused the notice');
  } catch (err) {
    logger.warn({ clickId, err: (err as Error).message }, 'response_url unreachable');
  }
}
