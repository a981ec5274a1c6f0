import type { Env } from '../lib/read-secret.js';

/** What a command gets from the process: its environment and where to write. Tests run the real process. */
export interface CliContext {
  readonly env: Env;
  /** Writes one line (or several) to stdout. */
  out(text: string): void;
  /** Writes one line (or several) to stderr. */
  err(text: string): void;
}

/** A command: its own arguments (after the command name) in, the exit code out (0 ok, 1 failed, 2 usage). */
export type Command = (args: string[], ctx: CliContext) => number | Promise<number>;
