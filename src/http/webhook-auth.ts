import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';

// Hash both sides first so the comparison takes the same time whatever the lengths.
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/**
 * Checks an Authorization header against the configured Bearer token and/or basic credentials,
 * as Alertmanager's http_config sends them. With neither configured, every request passes
 * (main.ts logs a warning at start-up).
 */
export function isAuthorized(header: string | undefined, auth: AppConfig['webhookAuth']): boolean {
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
