import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  /** PEM private key and self-signed certificate for 127.0.0.1 and localhost; `cert` is also the CA to trust. */
  readonly key: string;
  readonly cert: string;
}

let cached: TestCert | undefined;

/**
 * A throwaway self-signed certificate made with the system's openssl (valid 2 days), cached per
 * process. Used by HTTPS vendor fakes: the official PagerDuty client only speaks https.
 * @example const { key, cert } = testCert(); https.createServer({ key, cert })
 */
export function testCert(): TestCert {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'ar-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-days',
        '2',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cached = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
