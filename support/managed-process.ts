import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './wait.js';

// Children still running when this process exits (a test file's timeout, Ctrl-C: `after` hooks
// do not run then) are killed, so no Prometheus or redis-server outlives the run that started it.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A probe of a process that does not answer within this is a failed probe, not a hung wait. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * A real process that tests, benchmarks and scripts start, stop and restart (Prometheus,
 * Alertmanager, redis-server, an alert-router worker), keeping the tail of its output for failure
 * messages. `start()` after `stop()` runs the same command again.
 * @example const p = new ManagedProcess('prometheus', 'prometheus', [`--web.listen-address=127.0.0.1:${port}`]); p.start(); await p.ready(`${url}/-/ready`)
 */
export class ManagedProcess {
  private current: ChildProcess | undefined;
  private spawnError: Error | undefined;
  /** The tail of its stdout and stderr, for failure messages. */
  log = '';

  constructor(
    readonly name: string,
    private readonly cmd: string,
    private readonly args: readonly string[],
    private readonly opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ) {}

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.spawnError = undefined;
    const child = spawn(this.cmd, [...this.args], { ...this.opts, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    const keep = (d: Buffer): void => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => {
      this.spawnError = err;
      live.delete(child);
      keep(Buffer.from(`spawn error: ${err.message}\n`));
    });
    this.current = child;
  }

  /** The running (or last) process, read-only: for a test that kills it mid-job or reads its exit. */
  get child(): ChildProcess | undefined {
    return this.current;
  }

  get running(): boolean {
    const c = this.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null && c.pid !== undefined;
  }

  /** Resolves once the process has exited (at once if it is not running). */
  async exited(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((r) => child.once('exit', () => r()));
  }

  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = this.exited();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** `start()`, then `ready(probe)`; stops the process again when it never gets ready. */
  async startReady(probe: string | (() => Promise<boolean>), timeoutMs?: number): Promise<void> {
    this.start();
    try {
      await this.ready(probe, timeoutMs);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /**
   * Waits until `probe` (a URL that must answer 2xx, or a function) says the process is ready;
   * fails at once, with the output, if the process exits or never spawned.
   */
  async ready(probe: string | (() => Promise<boolean>), timeoutMs = 20_000): Promise<void> {
    const check =
      typeof probe === 'string'
        ? () =>
            fetch(probe, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
              (r) => r.ok,
              () => false,
            )
        : probe;
    await waitFor(
      async () => {
        // A binary that cannot be started reports it a moment after spawn(): wait for the reason.
        if (!this.running) {
          await new Promise((r) => setImmediate(r));
          const why = this.spawnError ? `could not start: ${this.spawnError.message}` : 'exited';
          throw new Error(`${this.name} ${why}:\n${this.log.slice(-3000)}`);
        }
        return check();
      },
      () => `${this.name} ready (${typeof probe === 'string' ? probe : 'probe'}):\n${this.log.slice(-3000)}`,
      timeoutMs,
      100,
    );
  }
}
