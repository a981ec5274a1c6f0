/**
 * A setting from the environment, or from the file named by `<NAME>_FILE` (compose and Kubernetes
 * secrets): alert-router's own reader (src/lib/read-secret.ts), with an unreadable file stopping
 * the exporter at start.
 *
 * @example settingOrFile(process.env, 'FEATURE_STORE_DATABASE_URL') // reads FEATURE_STORE_DATABASE_URL_FILE if set
 */
import { readSecret } from '../../src/lib/read-secret.js';

export function settingOrFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const problems: string[] = [];
  const value = readSecret(env, name, problems);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return value || undefined;
}
