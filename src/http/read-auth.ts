import { BlockList, isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { isAuthorized, type WebhookAuth } from './webhook-auth.js';

export interface ReadAuthOptions {
  /** Bearer token and/or basic credentials a reader may send (READ_BEARER_TOKEN, READ_BASIC_AUTH). */
  readonly credentials: WebhookAuth;
  /** An authenticating proxy's user header, believed only from these addresses (IPs or CIDRs). */
  readonly proxy?: { readonly userHeader: string; readonly addresses: readonly string[] } | undefined;
  /** /metrics needs credentials too; otherwise scrapers read it freely. */
  readonly protectMetrics: boolean;
  /** Paths that check credentials of their own (the webhook's for /api/preview, Slack's signature). */
  readonly ownAuthPaths: readonly string[];
}

/**
 * Probes must answer without credentials: a kubelet or load balancer sends none. Slack's clicks
 * carry a signature checked by their route, and the webhook is served before express.
 */
const ALWAYS_OPEN = new Set(['/healthz', '/readyz']);

function trustedProxies(addresses: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of addresses) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** The peer's address as the proxy list is written: an IPv4 client on a dual-stack socket is ::ffff:a.b.c.d. */
function peerAddress(raw: string | undefined): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  if (!raw) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address: raw, family: isIP(raw) === 6 ? 'ipv6' : 'ipv4' };
}

/**
 * Read protection for everything express serves: a request passes with the configured bearer or
 * basic credentials, or with the trusted proxy's user header on a connection from the proxy.
 * With nothing configured every request passes (start-up warns). Refusals are 401 with
 * `WWW-Authenticate`, so a browser asks for basic credentials when those are what is configured.
 */
export function readAuth(opts: ReadAuthOptions): RequestHandler {
  const { credentials, proxy } = opts;
  const configured = credentials.bearerToken !== undefined || credentials.basic !== undefined || !!proxy;
  const open = new Set([...ALWAYS_OPEN, ...opts.ownAuthPaths, ...(opts.protectMetrics ? [] : ['/metrics'])]);
  const proxies = proxy ? trustedProxies(proxy.addresses) : undefined;
  const challenge = credentials.basic
    ? 'Basic realm="alert-router", charset="UTF-8"'
    : 'Bearer realm="alert-router"';
  return (req, res, next) => {
    if (!configured || open.has(req.path)) return next();
    if (proxy && proxies) {
      const user = req.get(proxy.userHeader);
      const peer = peerAddress(req.socket.remoteAddress);
      if (user && peer && proxies.check(peer.address, peer.family)) return next();
    }
    const header = req.get('authorization');
    if (header && (credentials.bearerToken || credentials.basic) && isAuthorized(header, credentials))
      return next();
    res.status(401).set('WWW-Authenticate', challenge).set('Cache-Control', 'no-store').json({
      error: 'unauthorized',
      message: 'this page needs read credentials (bearer token, basic credentials or the sign-in proxy)',
    });
  };
}
