import type { WebhookPayload } from '../src/alert/webhook-payload.js';
import { sleep } from './wait.js';

export interface Sent {
  /** When the first attempt was made, and when a 2xx came (ms since the epoch); acked undefined: never. */
  readonly firstAt: number;
  ackedAt: number | undefined;
  attempts: number;
}

export interface TrafficReport {
  /** By notification index. */
  readonly sent: ReadonlyMap<number, Sent>;
  /** Every non-2xx answer (or refused connection) and when it came. */
  readonly refusals: ReadonlyArray<{ at: number; status: number | 'error' }>;
}

/**
 * Webhook traffic as Alertmanager sends it: `rate` notifications a second for `durationMs`, each
 * retried on a 5xx or a failed connection with a growing backoff (Alertmanager's notifier retries
 * until the group's next flush; here until `giveUpMs` after the last one was first sent). A 4xx is
 * not retried, as Alertmanager does not. `during` runs alongside (a fault to inject mid-traffic).
 * @example const report = await alertmanagerTraffic(url, (i) => stormGroup(i, run, now), { rate: 50, durationMs: 8000 })
 */
export async function alertmanagerTraffic(
  url: string,
  payload: (i: number) => WebhookPayload,
  opts: {
    readonly rate: number;
    readonly durationMs: number;
    readonly giveUpMs?: number;
    readonly token?: string;
    readonly during?: () => Promise<void>;
  },
): Promise<TrafficReport> {
  const sent = new Map<number, Sent>();
  const refusals: Array<{ at: number; status: number | 'error' }> = [];
  const started = Date.now();
  const giveUpAt = started + opts.durationMs + (opts.giveUpMs ?? 30_000);
  const deliver = async (i: number): Promise<void> => {
    const body = JSON.stringify(payload(i));
    const s: Sent = { firstAt: Date.now(), ackedAt: undefined, attempts: 0 };
    sent.set(i, s);
    for (let backoff = 200; Date.now() < giveUpAt; backoff = Math.min(backoff * 2, 2000)) {
      s.attempts += 1;
      let status: number | 'error';
      try {
        const res = await fetch(`${url}/webhook/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? 't'}` },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 'error';
      }
      if (typeof status === 'number' && status < 300) {
        s.ackedAt = Date.now();
        return;
      }
      refusals.push({ at: Date.now(), status });
      if (typeof status === 'number' && status < 500) return;
      await sleep(backoff);
    }
  };
  const inFlight: Array<Promise<void>> = [];
  const fault = opts.during?.();
  const count = Math.round((opts.rate * opts.durationMs) / 1000);
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / opts.rate;
    if (due > Date.now()) await sleep(due - Date.now());
    inFlight.push(deliver(i));
  }
  await Promise.all([...inFlight, fault]);
  return { sent, refusals };
}

/** The span from the first refusal to the last, in seconds (0 with none): how long senders saw 5xx. */
export function refusalSeconds(report: TrafficReport): number {
  const times = report.refusals.map((r) => r.at);
  return times.length === 0 ? 0 : (Math.max(...times) - Math.min(...times)) / 1000;
}
