import { readFileSync } from 'node:fs';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a secret from `NAME` or from the file named by `NAME_FILE` (Kubernetes and compose secrets).
 * An unreadable file is a problem, never the secret's absence.
 * @example readSecret(env, 'SLACK_BOT_TOKEN', problems)
 */
export function readSecret(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '') return direct;
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    problems.push(
      `env ${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
}
