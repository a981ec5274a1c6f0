import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, for a process that must be told its port before it
 * starts (Prometheus, Alertmanager, redis-server cannot report an ephemeral one back).
 * @example const port = await freePort()
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts something on a port: the given one, or a free one, and another free one when a different
 * process bound it in between (free when picked is not free when bound, on a busy machine).
 * `start` must clean up after itself when it fails.
 * @example const proc = await onPort(opts.port, async (port) => startOn(port))
 */
export async function onPort<T>(given: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  if (given !== undefined) return start(given);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test((err as Error).message)) throw err;
    }
  }
}
