import type { Request } from 'express';

/** The names a browser may reach us by: PUBLIC_URL's host and the loopback names. */
export function ourHostNames(publicUrl: string): ReadonlySet<string> {
  return new Set([new URL(publicUrl).hostname, 'localhost', '127.0.0.1', '[::1]']);
}

/** "example.com" of "example.com:8080", "[::1]" of "[::1]:8080"; '' when absent. */
function hostName(host: string | undefined): string {
  if (!host) return '';
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

/**
 * Whether a state-changing request may come from where it claims to: a browser names the page
 * that sent it (`Origin`, and `Sec-Fetch-Site` in current browsers), so a request another site's
 * page makes (cross-site request forgery) is refused; a request with neither header comes from no
 * browser page (curl, a script) and cannot have been forged by one.
 * (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#using-standard-headers-to-verify-origin)
 * @example if (!fromSameOrigin(req)) throw new HttpError(403, 'cross_origin', '...')
 */
export function fromSameOrigin(req: Request, ourHosts: ReadonlySet<string>): boolean {
  // Set by the browser alone (a page cannot forge it), and sent even where Origin is "null".
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  if (site === undefined && origin === undefined) return true;
  // A browser request must also be addressed to a name of ours: a page whose own name was
  // re-pointed at this address (DNS rebinding) is "same-origin" to itself, but names its host.
  if (!ourHosts.has(hostName(req.get('host')))) return false;
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  if (origin === undefined) return true;
  try {
    // Compared by host only: behind a TLS-terminating proxy the scheme we see is not the reader's.
    return new URL(origin).host === req.get('host');
  } catch {
    return false; // "null" (a sandboxed frame, a redirect chain) or garbage
  }
}
