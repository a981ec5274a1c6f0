import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './lib/logger.js';
import { startAlertRouter } from './runtime/start-alert-router.js';

/** Process entry: read the environment once, start, and shut down gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.fatal({ problems: err.problems }, 'invalid configuration');
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let running;
  try {
    running = await startAlertRouter(config, { logger });
  } catch (err) {
    const listenError = err as NodeJS.ErrnoException & { port?: number };
    if (listenError.code !== 'EADDRINUSE') throw err;
    // One line a person can act on, instead of an unhandled 'error' event and its stack.
    process.stderr.write(
      `error: port ${listenError.port ?? config.port} is already in use (another alert-router, or the stack from npm run stack:up?); set PORT to a free port, e.g. PORT=8081 npm start\n`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight deliveries');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Runbooks also reload on file change; SIGHUP is the explicit "re-read now".
  process.on('SIGHUP', () => {
    const problems = running.runbooks.reload();
    logger.info({ problems: problems.length }, 'runbooks reloaded on SIGHUP');
  });
}

void main();
