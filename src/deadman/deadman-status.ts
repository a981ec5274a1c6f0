import type { Metrics } from '../metrics/metrics.js';
import type { HeartbeatPolicy } from './heartbeat-policy.js';
import type { HeartbeatStore, SourceRecord } from './heartbeat-store.js';

export interface DeadmanSourceStatus {
  readonly name: string;
  /** ISO time of the last firing heartbeat, null if none was ever received. */
  readonly lastHeartbeat: string | null;
  /**
   * `waiting`: no heartbeat was ever received, so the switch is not armed for this source yet (it
   * pages only if `expectFirstWithinSeconds` is set and passes); `ok`: heartbeats arrive; `silent`:
   * paged.
   */
  readonly state: 'waiting' | 'ok' | 'silent';
  /** ISO time the current outage started (its last heartbeat), null while ok. */
  readonly silentSince: string | null;
  readonly graceSeconds: number;
}

export interface DeadmanStatus {
  readonly sources: DeadmanSourceStatus[];
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** What the API and the pages show: a never-heard source that has not paged is waiting. */
export const stateOf = (r: SourceRecord): DeadmanSourceStatus['state'] =>
  r.state === 'ok' && r.lastHeartbeat === undefined ? 'waiting' : r.state;

export const graceSecondsOf = (hb: HeartbeatPolicy, name: string): number =>
  hb.sources.find((s) => s.name === name)?.graceSeconds ?? hb.defaultGraceSeconds;

/**
 * Every configured heartbeat source with its last heartbeat and state, as GET /api/deadman shows
 * it (and the /runbooks index can). One Redis round trip.
 * @example const { sources } = await deadmanStatus(store, config.file.heartbeat)
 */
export async function deadmanStatus(
  store: HeartbeatStore,
  hb: HeartbeatPolicy,
  metrics?: Metrics,
  now = Date.now(),
): Promise<DeadmanStatus> {
  const names = hb.sources.map((s) => s.name);
  const records = await store.read(names);
  if (metrics) setDeadmanGauges(metrics, records, now);
  return {
    sources: names.map((name) => {
      const r = records.get(name)!;
      return {
        name,
        lastHeartbeat: iso(r.lastHeartbeat),
        state: stateOf(r),
        silentSince: r.state === 'silent' ? iso(r.since) : null,
        graceSeconds: graceSecondsOf(hb, name),
      };
    }),
  };
}

/** Per source: seconds since the last heartbeat (NaN if none yet), silent 0/1, waiting 0/1. */
export function setDeadmanGauges(
  metrics: Metrics,
  records: ReadonlyMap<string, SourceRecord>,
  now: number,
): void {
  for (const [source, r] of records) {
    metrics.deadmanSecondsSinceHeartbeat.set(
      { source },
      r.lastHeartbeat === undefined ? Number.NaN : Math.max(0, (now - r.lastHeartbeat) / 1000),
    );
    metrics.deadmanSilent.set({ source }, r.state === 'silent' ? 1 : 0);
    metrics.deadmanWaiting.set({ source }, stateOf(r) === 'waiting' ? 1 : 0);
  }
}
