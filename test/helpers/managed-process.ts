import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { waitFor } from './start-test-router.js';

/**
 * A real binary the tests start, stop and restart (Prometheus, Alertmanager), keeping the tail of
 * its output for failure messages.
 */
export class ManagedProcess {
  child: ChildProcess | undefined;
  log = '';

  constructor(
    readonly name: string,
    private readonly cmd: string,
    private readonly args: readonly string[],
  ) {}

  start(): void {
    const child = spawn(this.cmd, [...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer): void => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => keep(Buffer.from(`spawn error: ${err.message}\n`)));
    this.child = child;
  }

  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Waits for `url` to answer 2xx; fails at once, with the output, if the process exits. */
  async ready(url: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`${this.name} exited:\n${this.log.slice(-3000)}`);
        return fetch(url).then(
          (r) => r.ok,
          () => false,
        );
      },
      `${this.name} ready (${url})`,
      timeoutMs,
      100,
    );
  }
}

/** Fails (never skips) when a binary the suite needs is missing, saying which package brings it. */
export function requireBinary(bin: string, pkg: string): void {
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `${bin} is required (Debian: apt-get install ${pkg}): ${probe.error?.message ?? probe.stderr}`,
    );
}
