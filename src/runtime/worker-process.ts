import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { MetricsJSON } from '../metrics/merged-metrics.js';
import { BurstPause } from './burst-pause.js';
import type { WorkersElsewhere } from './start-alert-router.js';

/** Set in the child's environment: this process is the workers of a ROLE=all parent. */
export const WORKER_CHILD_ENV = 'ALERT_ROUTER_WORKER_CHILD';

/** What the parent asks over the IPC channel. */
export type ToWorkerProcess =
  | { readonly type: 'metrics'; readonly id: number }
  /** Stop taking new jobs while a burst of webhooks is stored (active jobs go on), or go on again. */
  | { readonly type: 'pause' | 'resume' };
/** What the child says over the IPC channel. */
export type FromWorkerProcess =
  | { readonly type: 'ready' }
  | { readonly type: 'metrics'; readonly id: number; readonly metrics: MetricsJSON };

/**
 * The child's niceness. On a 2-core box the API, the workers and Redis want the CPU at once during
 * a storm; at equal priority the scheduler shares it evenly and every webhook answer waits behind
 * enrichment and deliveries. At 10 (about a tenth of the API's weight) the API wins whenever both
 * are runnable, and the workers get every cycle the API leaves idle, nearly all of them once the
 * burst is stored. Measured (bench/ingest-during-storm.ts, 1,000 groups in 1 s): p99 2.2-4.8 s at
 * nice 10 against 4.4-8.9 s at nice 0. The price: on a host busy with other work at nice 0 the
 * workers drain a backlog more slowly (a container's own CPU quota keeps that work out).
 */
const WORKER_NICENESS = 10;
const METRICS_TIMEOUT_MS = 1000;
const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 30_000;
/** A child that ran this long before dying was healthy: the next restart waits 1 s again. */
const STABLE_MS = 60_000;

/**
 * ROLE=all's workers in a child process: a fork of this same entry with WORKER_CHILD_ENV set, which
 * runs ROLE=worker without an HTTP server (runtime/worker-child.ts). The API keeps its event loop
 * to itself, so a webhook's answer does not wait for the backlog. Restarts the child with a backoff
 * (1 s, 2 s, 4 s ... 30 s) when it dies; its metrics join the parent's /metrics through IPC.
 * @example const workers = new WorkerProcess({ logger, env: process.env }); workers.start(); await workers.stop('SIGTERM')
 */
export class WorkerProcess implements WorkersElsewhere {
  private child: ChildProcess | undefined;
  private ready = false;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (m: MetricsJSON) => void>();
  /** Tells the child to take no new jobs while a burst of webhooks is answered (burst-pause.ts). */
  private readonly burst = new BurstPause((paused) => this.tell({ type: paused ? 'pause' : 'resume' }));
  /** The parent's own figures about its child, merged into /metrics with the child's. */
  private readonly registry = new Registry();
  private readonly restarts = new Counter({
    name: 'alert_router_worker_process_restarts_total',
    help: "Times ROLE=all's worker process died unexpectedly and was started again.",
    registers: [this.registry],
  });
  private readonly metricsMissing = new Gauge({
    name: 'alert_router_worker_process_metrics_missing',
    help: "1 when the last scrape was served without the worker process's metrics (not running, or no answer within 1 s), else 0.",
    registers: [this.registry],
  });

  constructor(
    private readonly opts: {
      readonly logger: Logger;
      /** The parent's environment; the child gets it with ROLE=worker and the marker. */
      readonly env: NodeJS.ProcessEnv;
      /** The entry to fork (default: this process's own, `process.argv[1]`). */
      readonly entry?: string;
    },
  ) {}

  /** The running child's pid, undefined between a death and its restart. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  private get running(): boolean {
    const c = this.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  start(): void {
    const { logger } = this.opts;
    const entry = this.opts.entry ?? process.argv[1];
    if (!entry) throw new Error('cannot tell which entry to fork for the worker process');
    // stdout and stderr are the parent's: one stream of JSON lines, each with its `process` field.
    const child = fork(entry, [], {
      env: { ...this.opts.env, ROLE: 'worker', [WORKER_CHILD_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Structured clone keeps NaN and +Inf in metric values (JSON would turn them into null).
      serialization: 'advanced',
    });
    this.child = child;
    this.ready = false;
    const startedAt = Date.now();
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, WORKER_NICENESS);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not lower the worker process priority');
      }
    }
    child.on('message', (m: FromWorkerProcess) => {
      if (m.type === 'ready') {
        this.ready = true;
        logger.info({ pid: child.pid }, 'worker process started');
      } else if (m.type === 'metrics') {
        this.pending.get(m.id)?.(m.metrics);
        this.pending.delete(m.id);
      }
    });
    child.on('error', (err) => logger.error({ err: err.message }, 'worker process error'));
    child.once('exit', (code, signal) => {
      this.ready = false;
      if (this.stopping) return;
      this.failures = Date.now() - startedAt >= STABLE_MS ? 1 : this.failures + 1;
      const delay = Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** (this.failures - 1));
      this.restarts.inc();
      logger.error(
        { pid: child.pid, code, signal, restartInMs: delay },
        'worker process exited unexpectedly; restarting it',
      );
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  ingestLoad(inFlight: number): void {
    this.burst.load(inFlight);
  }

  private tell(m: ToWorkerProcess): void {
    const child = this.child;
    if (child && this.running && child.connected) child.send(m, () => undefined);
  }

  problems(): string[] {
    return this.running && this.ready ? [] : ['worker process not running'];
  }

  /** The child's metrics (or none, after METRICS_TIMEOUT_MS) and the parent's figures about it. */
  async metrics(): Promise<readonly MetricsJSON[]> {
    const theirs = await this.childMetrics();
    this.metricsMissing.set(theirs ? 0 : 1);
    const own = await this.registry.getMetricsAsJSON();
    return theirs ? [own, theirs] : [own];
  }

  private childMetrics(): Promise<MetricsJSON | undefined> {
    const child = this.child;
    if (!child || !this.running || !this.ready || !child.connected) return Promise.resolve(undefined);
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.opts.logger.warn(
          { pid: child.pid, timeoutMs: METRICS_TIMEOUT_MS },
          "worker process did not answer for its metrics; serving the API's alone",
        );
        resolve(undefined);
      }, METRICS_TIMEOUT_MS);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      const request: ToWorkerProcess = { type: 'metrics', id };
      child.send(request, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(undefined);
      });
    });
  }

  /**
   * Passes the signal on and waits for the child to finish its in-flight jobs and exit (its own
   * 30 s force applies); no restart after this. Resolves false when its shutdown failed: a non-zero
   * exit, or killed by the signal once its workers ran (before, it had nothing in flight).
   */
  async stop(signal: NodeJS.Signals): Promise<boolean> {
    this.stopping = true;
    this.burst.stop();
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !this.running) return true;
    const wasReady = this.ready;
    const exited = new Promise<boolean>((resolve) =>
      child.once('exit', (code) => resolve(code === 0 || (code === null && !wasReady))),
    );
    child.kill(signal);
    return exited;
  }

  /** The last resort when the child does not stop in time. */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.running) this.child?.kill('SIGKILL');
  }
}
