import type { Logger } from 'pino';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './lib/logger.js';
import { startAlertRouter } from './runtime/start-alert-router.js';
import { answerParent } from './runtime/worker-child.js';
import { WORKER_CHILD_ENV, WorkerProcess } from './runtime/worker-process.js';

/** How long shutdown may take before the process exits anyway (in-flight jobs get this long). */
const FORCE_EXIT_MS = 30_000;

/** SIGTERM/SIGINT (or `stop(reason)`): run `close` once, then exit 0, or 1 on error or after 30 s. */
function stopOnSignals(
  logger: Logger,
  close: (why: string) => Promise<void>,
  forceMs = FORCE_EXIT_MS,
): (why: string) => void {
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: why }, 'shutting down: finishing in-flight deliveries');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, forceMs);
    force.unref();
    close(why).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return stop;
}

/**
 * Process entry: read the environment once, start, and shut down gracefully on SIGTERM/SIGINT.
 * ROLE=all runs the HTTP API here and the workers in a child process (a fork of this entry, marked
 * by WORKER_CHILD_ENV), unless WORKERS_IN_PROCESS=1 keeps both on one event loop.
 */
async function main(): Promise<void> {
  const inChild = process.env[WORKER_CHILD_ENV] === '1';
  const root = createLogger(process.env.LOG_LEVEL ?? 'info');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      root.fatal({ problems: err.problems }, 'invalid configuration');
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const split = !inChild && config.role === 'all' && process.env.WORKERS_IN_PROCESS !== '1';
  // One stdout for both processes: each line says which one wrote it.
  const logger = inChild ? root.child({ process: 'worker' }) : split ? root.child({ process: 'api' }) : root;

  if (inChild) {
    const running = await startAlertRouter(config, { logger, listen: false });
    const stop = stopOnSignals(logger, () => running.close());
    answerParent(running.metrics, running.workers, () => stop('parent exited'));
    process.on('SIGHUP', () => running.runbooks.reload());
    return;
  }

  const workerProcess = split ? new WorkerProcess({ logger, env: process.env }) : undefined;
  let running;
  try {
    running = await startAlertRouter(config, {
      logger,
      ...(workerProcess ? { workersElsewhere: workerProcess } : {}),
    });
  } catch (err) {
    const listenError = err as NodeJS.ErrnoException & { port?: number };
    if (listenError.code !== 'EADDRINUSE') throw err;
    // One line a person can act on, instead of an unhandled 'error' event and its stack.
    process.stderr.write(
      `error: port ${listenError.port ?? config.port} is already in use (another alert-router, or the stack from npm run stack:up?); set PORT to a free port, e.g. PORT=8081 npm start\n`,
    );
    process.exit(1);
  }
  // Started once the port is ours: a start that fails above leaves no child behind.
  workerProcess?.start();
  const api = running;
  stopOnSignals(
    logger,
    async (why) => {
      // The child gets the same signal and the same 30 s for its in-flight jobs; the API stops
      // accepting meanwhile. A child that failed its shutdown fails the parent's.
      const [clean] = await Promise.all([
        workerProcess?.stop(why === 'SIGINT' ? 'SIGINT' : 'SIGTERM'),
        api.close(),
      ]);
      if (clean === false) throw new Error('the worker process did not shut down cleanly');
    },
    // A moment longer than the child's own force, which then decides; past it the child is killed.
    workerProcess ? FORCE_EXIT_MS + 2000 : FORCE_EXIT_MS,
  );
  process.once('exit', () => workerProcess?.kill());
  // Runbooks also reload on file change; SIGHUP is the explicit "re-read now" (for the child too).
  process.on('SIGHUP', () => {
    const problems = api.runbooks.reload();
    if (workerProcess?.pid) process.kill(workerProcess.pid, 'SIGHUP');
    logger.info({ problems: problems.length }, 'runbooks reloaded on SIGHUP');
  });
}

void main();
