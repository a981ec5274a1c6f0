/** The command line itself is wrong (unknown command, bad option, malformed label): exit 2 with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
