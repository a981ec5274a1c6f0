import { PrometheusError } from './prometheus-error.js';
import { cut } from '../lib/truncate.js';

/** One series of an instant query: labels and the value as Prometheus sent it ("0.2", "NaN", "+Inf"). */
export interface InstantSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: string;
}

/** One series of a range query: `[unixSeconds, value]` pairs, values parsed (NaN kept as NaN). */
export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface QueryResult<S> {
  readonly series: readonly S[];
  /** Series dropped by the bound (the answer had more). */
  readonly omitted: number;
}

export interface PrometheusClientOptions {
  /** PROMETHEUS_URL; the only host this client ever contacts. */
  readonly url: string;
  /** Default bound on series kept from one answer. */
  readonly maxSeries?: number;
  /** Bound on samples kept per range series. */
  readonly maxSamples?: number;
  /** Answers larger than this are refused (`too_large`) without being buffered. */
  readonly maxBytes?: number;
  readonly fetch?: typeof fetch;
}

export interface QueryOptions {
  readonly signal: AbortSignal;
  readonly maxSeries?: number;
  /** Sent as Prometheus' own `timeout` parameter. */
  readonly timeoutMs?: number;
  /** Evaluation time of an instant query (unix seconds); Prometheus' now when absent. */
  readonly time?: number;
}

export interface PrometheusClient {
  query(expr: string, opts: QueryOptions): Promise<QueryResult<InstantSeries>>;
  /** Every recording rule's name and expression (`GET /api/v1/rules?type=record`). */
  recordingRules(opts: Pick<QueryOptions, 'signal'>): Promise<ReadonlyMap<string, readonly string[]>>;
  queryRange(
    expr: string,
    range: { start: number; end: number; step: number },
    opts: QueryOptions,
  ): Promise<QueryResult<RangeSeries>>;
}

interface Envelope {
  status?: unknown;
  data?: { resultType?: unknown; result?: unknown };
  errorType?: unknown;
  error?: unknown;
}

type RawSample = [number, string];
type RawSeries = { metric?: Record<string, string>; value?: RawSample; values?: RawSample[] };

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new PrometheusError('too_large', `answer of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new PrometheusError('too_large', `answer exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function errorFor(status: number, env: Envelope | undefined): PrometheusError {
  const detail = typeof env?.error === 'string' ? cut(env.error, 300) : `HTTP ${status}`;
  const errorType = typeof env?.errorType === 'string' ? env.errorType : '';
  if (status === 400 || errorType === 'bad_data')
    return new PrometheusError('bad_request', detail, { status });
  if (status === 422 || errorType === 'execution')
    return new PrometheusError('unprocessable', detail, { status });
  return new PrometheusError('unavailable', detail, { status });
}

/**
 * A small Prometheus HTTP API client over fetch: POST form-encoded (no URL length limit), one
 * deadline per call through the caller's AbortSignal, envelope errors as PrometheusError, answers
 * bounded in bytes, series and samples. It only ever talks to the configured URL: alert
 * generatorURLs carry whatever host Prometheus advertised (its --web.external-url), so they are
 * never requested.
 * @example await createPrometheusClient({ url }).query('up', { signal: AbortSignal.timeout(2000) })
 */
export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const maxBytes = opts.maxBytes ?? 8 * 1024 * 1024;
  const maxSamples = opts.maxSamples ?? 120;

  async function call(
    path: string,
    form: Record<string, string>,
    signal: AbortSignal,
    method: 'POST' | 'GET' = 'POST',
  ): Promise<Envelope['data']> {
    let res: Response;
    const params = new URLSearchParams(form).toString();
    try {
      // The rules endpoint answers GET only; queries go as POST (no URL length limit).
      res = await doFetch(method === 'GET' ? `${base}${path}?${params}` : `${base}${path}`, {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          accept: 'application/json',
        },
        ...(method === 'POST' ? { body: params } : {}),
        signal,
        redirect: 'error',
      });
    } catch (err) {
      if (signal.aborted)
        throw new PrometheusError('timeout', 'Prometheus did not answer in time', { cause: err });
      throw new PrometheusError('network', `Prometheus unreachable: ${(err as Error).message}`, {
        cause: err,
      });
    }
    let env: Envelope | undefined;
    try {
      env = JSON.parse(await readCapped(res, maxBytes)) as Envelope;
    } catch (err) {
      if (err instanceof PrometheusError) throw err;
      if (signal.aborted)
        throw new PrometheusError('timeout', 'Prometheus did not answer in time', { cause: err });
      if (!res.ok) throw errorFor(res.status, undefined);
      throw new PrometheusError('malformed', 'answer is not JSON', { status: res.status, cause: err });
    }
    if (!res.ok || env?.status !== 'success') throw errorFor(res.status, env);
    if (method === 'GET') return env.data;
    if (!env.data || (!Array.isArray(env.data.result) && env.data.resultType !== 'scalar'))
      throw new PrometheusError('malformed', 'answer has no data.result', { status: res.status });
    return env.data;
  }

  // Prometheus stops evaluating at its own `timeout` too, so an abandoned query does not keep it busy.
  const timeoutParam = (q: QueryOptions): Record<string, string> =>
    q.timeoutMs ? { timeout: `${Math.max(1, Math.ceil(q.timeoutMs))}ms` } : {};

  return {
    async query(expr, q) {
      const at: Record<string, string> = q.time === undefined ? {} : { time: String(q.time) };
      const data = await call('/api/v1/query', { query: expr, ...at, ...timeoutParam(q) }, q.signal);
      const limit = q.maxSeries ?? opts.maxSeries ?? 20;
      if (data?.resultType === 'scalar' || data?.resultType === 'string') {
        const sample = data.result as RawSample;
        return { series: [{ labels: {}, value: String(sample[1]) }], omitted: 0 };
      }
      if (data?.resultType !== 'vector')
        throw new PrometheusError('malformed', `unexpected resultType for an instant query`);
      const raw = data.result as RawSeries[];
      return {
        series: raw
          .slice(0, limit)
          .map((s) => ({ labels: s.metric ?? {}, value: String(s.value?.[1] ?? 'NaN') })),
        omitted: Math.max(0, raw.length - limit),
      };
    },
    async recordingRules(q) {
      const data = (await call('/api/v1/rules', { type: 'record' }, q.signal, 'GET')) as
        { groups?: Array<{ rules?: Array<{ name?: unknown; query?: unknown }> }> } | undefined;
      if (!Array.isArray(data?.groups)) throw new PrometheusError('malformed', 'rules answer has no groups');
      const rules = new Map<string, string[]>();
      for (const g of data.groups)
        for (const r of Array.isArray(g.rules) ? g.rules : []) {
          if (typeof r.name !== 'string' || typeof r.query !== 'string') continue;
          rules.set(r.name, [...(rules.get(r.name) ?? []), r.query]);
        }
      return rules;
    },
    async queryRange(expr, range, q) {
      const data = await call(
        '/api/v1/query_range',
        {
          query: expr,
          start: String(range.start),
          end: String(range.end),
          step: String(range.step),
          ...timeoutParam(q),
        },
        q.signal,
      );
      if (data?.resultType !== 'matrix')
        throw new PrometheusError('malformed', 'unexpected resultType for a range query');
      const raw = data.result as RawSeries[];
      const limit = q.maxSeries ?? opts.maxSeries ?? 20;
      return {
        series: raw.slice(0, limit).map((s) => ({
          labels: s.metric ?? {},
          points: (s.values ?? []).slice(-maxSamples).map(([t, v]) => [Number(t), Number(v)] as const),
        })),
        omitted: Math.max(0, raw.length - limit),
      };
    },
  };
}
