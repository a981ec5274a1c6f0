/** Start-up configuration is wrong; `problems` lists every one: `<file>: <path>: reason` or `env NAME: reason`. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
