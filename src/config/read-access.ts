import { isIP } from 'node:net';
import { readSecret, type Env } from '../lib/read-secret.js';

/** Bearer token and/or basic credentials, as a client sends them in Authorization. */
export interface Credentials {
  readonly bearerToken?: string;
  readonly basic?: { readonly user: string; readonly password: string };
}

/**
 * An authenticating proxy in front (oauth2-proxy style): its user header is believed only on
 * connections from these addresses, since anyone else could send the header too.
 */
export interface TrustedProxy {
  readonly userHeader: string;
  /** IP addresses and CIDR ranges (10.0.0.0/8, fd00::/8), validated. */
  readonly addresses: readonly string[];
}

/** Who may read the pages and APIs; nothing configured: everyone (start-up warns). */
export interface ReadAccess {
  readonly credentials: Credentials;
  readonly proxy: TrustedProxy | undefined;
}

/** `user:password` from NAME(_FILE), or a problem; the value itself is never echoed. */
export function readBasicCredentials(
  env: Env,
  name: string,
  problems: string[],
): { user: string; password: string } | undefined {
  const raw = readSecret(env, name, problems);
  if (raw === undefined) return undefined;
  const i = raw.indexOf(':');
  if (i <= 0) {
    problems.push(`env ${name}: must be user:password`);
    return undefined;
  }
  return { user: raw.slice(0, i), password: raw.slice(i + 1) };
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

// RFC 7230 token characters: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * READ_BEARER_TOKEN, READ_BASIC_AUTH (each or its _FILE) and TRUSTED_PROXY_USER_HEADER with
 * TRUSTED_PROXY_ADDRESSES, checked; every problem is appended, none thrown.
 */
export function readAccessFromEnv(env: Env, problems: string[]): ReadAccess {
  const bearerToken = readSecret(env, 'READ_BEARER_TOKEN', problems);
  const basic = readBasicCredentials(env, 'READ_BASIC_AUTH', problems);
  const header = env.TRUSTED_PROXY_USER_HEADER?.trim() || undefined;
  const addresses = (env.TRUSTED_PROXY_ADDRESSES ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const a of addresses)
    if (!isAddressOrRange(a))
      problems.push(`env TRUSTED_PROXY_ADDRESSES: "${a}" is not an IP address or CIDR range`);
  if (header !== undefined && !HEADER_NAME.test(header))
    problems.push('env TRUSTED_PROXY_USER_HEADER: must be a header name (X-Auth-Request-User)');
  if ((header === undefined) !== (addresses.length === 0))
    problems.push(
      'env TRUSTED_PROXY_USER_HEADER and TRUSTED_PROXY_ADDRESSES: set both (the header is believed only from those addresses) or neither',
    );
  return {
    credentials: { ...(bearerToken ? { bearerToken } : {}), ...(basic ? { basic } : {}) },
    proxy: header !== undefined && addresses.length > 0 ? { userHeader: header, addresses } : undefined,
  };
}

/** Whether anything restricts reads. */
export function readAccessConfigured(access: ReadAccess): boolean {
  return (
    access.credentials.bearerToken !== undefined || access.credentials.basic !== undefined || !!access.proxy
  );
}
