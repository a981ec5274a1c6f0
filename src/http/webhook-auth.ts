import { createHash, timingSafeEqual } from 'node:crypto';

// Hash both sides first so the comparison takes the same time whatever the lengths.
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** The webhook's credentials: a Bearer token, basic credentials, both, or neither (open). */
export interface WebhookAuth {
  readonly bearerToken?: string;
  readonly basic?: { readonly user: string; readonly password: string };
}

/**
 * Checks an Authorization header against the configured Bearer token and/or basic credentials,
 * as Alertmanager's http_config sends them. With neither configured, every request passes
 * (start-up logs a warning).
 */
export function isAuthorized(header: string | undefined, auth: WebhookAuth): boolean {
  if (!auth.bearerToken && !auth.basic) return true;
  if (!header) return false;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.bearerToken) return same(value, auth.bearerToken);
  if (scheme === 'basic' && auth.basic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return same(decoded, `${auth.basic.user}:${auth.basic.password}`);
  }
  return false;
}
