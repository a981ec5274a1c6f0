/** A runbook file that cannot be used; `message` is the reason, shown as "file: reason". */
export class RunbookError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'RunbookError';
  }

  /** "NodeDown.md: summary: Required" */
  override toString(): string {
    return `${this.file}: ${this.message}`;
  }
}
