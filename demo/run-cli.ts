/**
 * Runs a command-line `main` and exits with the code it returns; an unexpected error prints its
 * stack and exits 1. process.exit, so a keep-alive socket or a timer cannot hold the command open.
 * @example runCli(main) // at the end of demo/fault.ts
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
