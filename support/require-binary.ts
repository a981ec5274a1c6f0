import { spawnSync } from 'node:child_process';

/**
 * Fails (never skips) when a binary is missing, saying which Debian package brings it: a skipped
 * end-to-end test proves nothing. Returns the first line `--version` printed.
 * @example requireBinary('prometheus-alertmanager', 'prometheus-alertmanager') // 'alertmanager, version 0.25.0 (...)'
 */
export function requireBinary(bin: string, pkg: string): string {
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `${bin} is required (Debian: apt-get install ${pkg}): ${probe.error?.message ?? probe.stderr}`,
    );
  return (probe.stdout || probe.stderr).split('\n')[0]!.trim();
}
