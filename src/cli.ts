#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

/**
 * The operator's command line (bin `alert-router`, or `npm run cli --` in a checkout):
 * check-config, routes test, send-test. Like main.ts, the only place here that reads process.env.
 */
async function cli(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  });
  // exitCode, not exit(): stdout is flushed before the process ends, even when piped.
  process.exitCode = code;
}

cli().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
