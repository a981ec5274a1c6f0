import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { Command } from './cli-context.js';
import { parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

/**
 * `check-config [--config FILE]`: the configuration loaded exactly as start-up loads it (the file
 * and the environment, credentials included), so a deploy can be checked before it starts.
 * Problems are the ConfigError's list, which names variables and paths, never a secret's value.
 * @example alert-router check-config --config config/production.example.yml
 */
export const checkConfig: Command = (args, ctx) => {
  const { values, positionals } = parseOptions(args, { config: { type: 'string' } });
  if (positionals.length > 0)
    throw new UsageError(`check-config takes no arguments: ${positionals.join(' ')}`);
  const env = values.config !== undefined ? { ...ctx.env, ALERT_ROUTER_CONFIG: values.config } : ctx.env;
  try {
    const config = loadConfig(env);
    const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
    const path = env.ALERT_ROUTER_CONFIG ?? 'config/alert-router.yml';
    ctx.out(
      `config OK: ${count(Object.keys(config.file.channels).length, 'channel')}, ${count(config.file.routes.length, 'route')} (${path})`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    ctx.err(err.message);
    return 1;
  }
};
