import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';

const TIMEOUT_MS = 5000;

/**
 * alert-router's own heartbeat to an outside dead man's service (healthchecks.io, Cronitor,
 * Dead Man's Snitch: each takes a plain GET of a per-check URL). Sent after each successful dead
 * man's check, so silence there means alert-router itself stopped checking, which nothing inside
 * the stack can page for (https://healthchecks.io/docs/http_api/). A failed ping is logged and
 * counted, never retried: the next check pings again. The URL carries the check's token, so it is
 * never logged.
 * @example const ping = heartbeatPing(url, metrics, logger); await ping()
 */
export function heartbeatPing(url: string, metrics: Metrics, logger: Logger): () => Promise<void> {
  metrics.heartbeatPings.inc({ outcome: 'ok' }, 0);
  metrics.heartbeatPings.inc({ outcome: 'failed' }, 0);
  return async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`answered ${res.status}`);
      metrics.heartbeatPings.inc({ outcome: 'ok' });
      metrics.heartbeatPingLastSuccess.set(Date.now() / 1000);
    } catch (err) {
      metrics.heartbeatPings.inc({ outcome: 'failed' });
      const reason =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer in ${TIMEOUT_MS} ms`
          : (err as Error).message;
      logger.warn({ reason }, 'HEARTBEAT_PING_URL: ping failed');
    }
  };
}
