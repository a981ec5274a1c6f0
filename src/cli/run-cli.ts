import { checkConfig } from './check-config.js';
import type { CliContext, Command } from './cli-context.js';
import { routesTest } from './routes-test.js';
import { sendTest } from './send-test.js';
import { USAGE } from './usage.js';
import { UsageError } from './usage-error.js';

const COMMANDS: Readonly<Record<string, Command>> = {
  'check-config': checkConfig,
  routes: routesTest,
  'send-test': sendTest,
};

/**
 * Runs one command line and returns its exit code: 0 ok, 1 the check or request failed, 2 the
 * command line is wrong (with the usage on stderr). `--help` prints the usage to stdout, exit 0.
 * @example process.exitCode = await runCli(process.argv.slice(2), ctx)
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help' || args.includes('--help')) {
    ctx.out(USAGE);
    return 0;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(name === undefined ? 'no command given' : `unknown command: ${name}`);
    return await command(args, ctx);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    ctx.err(`error: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}
