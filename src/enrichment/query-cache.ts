import { PrometheusError } from './prometheus-error.js';

export interface QueryCacheOptions {
  /** How long an answer is reused. */
  readonly ttlMs?: number;
  /** How long a failure is reused, so a storm against a sick Prometheus does not become a query storm. */
  readonly errorTtlMs?: number;
  /** Bound on remembered answers (oldest dropped first). */
  readonly maxEntries?: number;
  readonly now?: () => number;
  /** Told of every lookup: answered from memory or in flight (true), or sent to Prometheus (false). */
  readonly onLookup?: (hit: boolean) => void;
}

interface Entry {
  readonly promise: Promise<unknown>;
  /** Unset while in flight. */
  expiresAt?: number;
}

/** Resolves with `promise`, or rejects with a `timeout` PrometheusError as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new PrometheusError('timeout', 'enrichment budget exhausted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new PrometheusError('timeout', 'enrichment budget exhausted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Coalesces identical queries and remembers answers briefly: while a query is in flight every
 * caller with the same key shares that one request, and for `ttlMs` after it the answer is served
 * from memory. 1,000 alerts needing the same query therefore cost one request
 * (bench/enrichment-storm.ts measures it). The loader owns its own deadline; a caller only stops
 * *waiting* when its signal aborts, so one impatient notification never cancels the request
 * others are waiting on.
 * @example await cache.get('q:up', () => client.query('up', { signal }), budgetSignal)
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly errorTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly onLookup: ((hit: boolean) => void) | undefined;

  constructor(opts: QueryCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.errorTtlMs = opts.errorTtlMs ?? 2_000;
    this.maxEntries = opts.maxEntries ?? 2_000;
    this.now = opts.now ?? Date.now;
    this.onLookup = opts.onLookup;
  }

  get<T>(key: string, load: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const existing = this.entries.get(key);
    const hit =
      existing !== undefined && (existing.expiresAt === undefined || existing.expiresAt > this.now());
    this.onLookup?.(hit);
    if (hit) return untilAborted(existing.promise as Promise<T>, signal);
    const entry: Entry = { promise: Promise.resolve().then(load) };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.promise.then(
      () => {
        entry.expiresAt = this.now() + this.ttlMs;
      },
      () => {
        entry.expiresAt = this.now() + this.errorTtlMs;
      },
    );
    this.evict();
    return untilAborted(entry.promise as Promise<T>, signal);
  }

  /** Forgets every answer (in-flight requests still complete for their waiters). */
  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [k, e] of this.entries) {
      if (e.expiresAt !== undefined && e.expiresAt <= now) this.entries.delete(k);
    }
    // Still too many: drop the oldest settled entries (Map keeps insertion order).
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      if (e.expiresAt !== undefined) this.entries.delete(k);
    }
  }
}
