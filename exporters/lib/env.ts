/**
 * A setting from the environment, or from the file named by `<NAME>_FILE` (compose and Kubernetes
 * secrets), so a password never has to sit in an environment listing. Both set is a mistake.
 *
 * @example settingOrFile(process.env, 'FEATURE_STORE_DATABASE_URL') // reads FEATURE_STORE_DATABASE_URL_FILE if set
 */
import { readFileSync } from 'node:fs';

export function settingOrFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  const value = env[name];
  if (file && value) throw new Error(`set ${name} or ${name}_FILE, not both`);
  if (!file) return value || undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    throw new Error(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: err,
    });
  }
}
