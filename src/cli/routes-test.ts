import { readFileSync } from 'node:fs';
import { parseConfigFile, sortByPath } from '../config/parse-config-file.js';
import { createRouter } from '../routing/route-notification.js';
import type { Command } from './cli-context.js';
import { parseLabels } from './parse-labels.js';
import { parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

/**
 * `routes test [--config FILE] [--receiver NAME] label=value ...`, like `amtool config routes test`:
 * the channels a notification with these common labels reaches, through the service's own router.
 * Only the file is parsed (not loadConfig): routing needs no credentials, so this works on a
 * laptop without the production secrets.
 * @example alert-router routes test severity=critical team=ml
 */
export const routesTest: Command = (args, ctx) => {
  const { values, positionals } = parseOptions(args, {
    config: { type: 'string' },
    receiver: { type: 'string' },
  });
  if (positionals[0] !== 'test') throw new UsageError('usage: alert-router routes test [label=value ...]');
  const labels = parseLabels(positionals.slice(1));
  const path = values.config ?? ctx.env.ALERT_ROUTER_CONFIG ?? 'config/alert-router.yml';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    ctx.err(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return 1;
  }
  const { file, problems } = parseConfigFile(text);
  if (file === undefined || problems.length > 0) {
    ctx.err(
      `invalid configuration:\n  - ${sortByPath(problems)
        .map((p) => `${path}: ${p}`)
        .join('\n  - ')}`,
    );
    return 1;
  }
  const channels = createRouter(file.routes, file.defaultChannels).route(values.receiver ?? '', labels);
  for (const name of channels) ctx.out(`${name} (${file.channels[name]?.type ?? 'unknown'})`);
  return 0;
};
