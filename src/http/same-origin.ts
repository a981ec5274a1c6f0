import type { Request } from 'express';

/**
 * Whether a state-changing request may come from where it claims to: a browser names the page
 * that sent it (`Origin`, and `Sec-Fetch-Site` in current browsers), so a request another site's
 * page makes (cross-site request forgery) is refused; a request with neither header comes from no
 * browser page (curl, a script) and cannot have been forged by one.
 * (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#using-standard-headers-to-verify-origin)
 * @example if (!fromSameOrigin(req)) throw new HttpError(403, 'cross_origin', '...')
 */
export function fromSameOrigin(req: Request): boolean {
  // Set by the browser alone (a page cannot forge it), and sent even where Origin is "null".
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (origin === undefined) return true;
  try {
    // Compared by host only: behind a TLS-terminating proxy the scheme we see is not the reader's.
    return new URL(origin).host === req.get('host');
  } catch {
    return false; // "null" (a sandboxed frame, a redirect chain) or garbage
  }
}
