import { lstatSync, realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * Alert names as they may appear in a URL or a runbook file name: a strict pattern, so nothing
 * can escape the runbooks directory.
 */
export const ALERT_NAME_PATTERN = /^[A-Za-z0-9_:-]{1,128}$/;

export const isSafeAlertName = (name: string): boolean => ALERT_NAME_PATTERN.test(name);

const inside = (realDir: string, realFile: string): boolean => realFile.startsWith(realDir + sep);

/**
 * The real path of `<dir>/<name>.md` if `name` matches the strict pattern and the file, after
 * following symlinks, is still inside `dir`; otherwise undefined. The pattern alone already
 * rules out `..`, slashes and NUL; the realpath check catches a symlink that points elsewhere.
 * @example await resolveRunbookFile('runbooks', 'NodeDown') // '/srv/app/runbooks/NodeDown.md'
 */
export async function resolveRunbookFile(dir: string, name: string): Promise<string | undefined> {
  if (!isSafeAlertName(name)) return undefined;
  try {
    const [realDir, realFile] = await Promise.all([realpath(dir), realpath(join(dir, `${name}.md`))]);
    return inside(realDir, realFile) ? realFile : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Synchronous check used while loading: why a directory entry must not be read, or undefined
 * when it is a regular file (or a symlink to one) inside `dir`.
 */
export function unsafeEntryReason(dir: string, entry: string): string | undefined {
  const name = entry.slice(0, -'.md'.length);
  if (!isSafeAlertName(name)) return `file name must match ${ALERT_NAME_PATTERN.source} plus .md`;
  const path = join(dir, entry);
  try {
    const real = realpathSync(path);
    if (!inside(realpathSync(dir), real)) return 'symlink resolves outside the runbooks directory';
    if (!lstatSync(real).isFile()) return 'not a regular file';
  } catch (err) {
    return `cannot resolve: ${(err as Error).message}`;
  }
  return undefined;
}
