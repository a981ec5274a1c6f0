import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's range for outgoing connections' local ports (Linux: 32768-60999 by default). A port
 * picked inside it can be taken between the pick and the bind by any outgoing connection on the
 * machine (a test's Redis clients open hundreds), so ports we pick for others come from below it.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 32768;
  } catch {
    return 32768;
  }
}
const LOW = Math.max(1024, Math.min(20_000, ephemeralLow() - 10_000));
const HIGH = ephemeralLow() - 1;

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * A TCP port free on 127.0.0.1 right now, for a process that must be told its port before it
 * starts (Prometheus, Alertmanager, redis-server cannot report an ephemeral one back). Picked at
 * random below the ephemeral range, so no outgoing connection can take it before it is bound.
 * @example const port = await freePort()
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH}`);
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
