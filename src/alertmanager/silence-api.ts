import { z } from 'zod';
import { AlertmanagerError } from './alertmanager-error.js';

/** An exact-equality matcher (`isRegex: false, isEqual: true`; `isEqual` needs Alertmanager >= 0.22). */
export interface EqualMatcher {
  readonly name: string;
  readonly value: string;
}

/** What `POST /api/v2/silences` takes, less the matcher flags (always exact equality here). */
export interface SilenceRequest {
  readonly matchers: readonly EqualMatcher[];
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly createdBy: string;
  readonly comment: string;
}

export interface CreatedSilence {
  readonly silenceId: string;
  /** The Alertmanager that holds it (a cluster gossips it to the others). */
  readonly alertmanager: string;
  /** True when an earlier attempt had already created it (found by `marker`). */
  readonly existing: boolean;
}

const silenceList = z
  .array(
    z.object({
      id: z.string(),
      comment: z.string().default(''),
      status: z.object({ state: z.string() }),
    }),
  )
  .max(1_000_000);

/**
 * Alertmanager's silence API v2 (api/v2/openapi.yaml) on one or several Alertmanagers of a
 * cluster, tried in order: a silence created on one peer gossips to the rest, so the first that
 * answers is enough. Transport errors and 5xx move on to the next; a 4xx is the request's fault
 * and stops at once.
 * @example await new SilenceApi(['http://am-0:9093', 'http://am-1:9093']).expire(id)
 */
export class SilenceApi {
  constructor(
    private readonly urls: readonly string[],
    private readonly timeoutMs = 5000,
  ) {
    if (urls.length === 0) throw new Error('SilenceApi needs at least one Alertmanager URL');
  }

  private async call(
    base: string,
    method: string,
    path: string,
    body?: unknown,
    notFound?: RegExp,
  ): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AlertmanagerError(`${base} unreachable: ${(err as Error).message}`, {
        retryable: true,
        cause: err,
      });
    }
    const text = await res.text().catch(() => '');
    // Alertmanager 0.25 answers an unknown silence id with 500 "silence not found".
    if (notFound && res.status === 500 && notFound.test(text)) return { status: 404, json: text };
    if (res.status >= 500)
      throw new AlertmanagerError(`${base} answered HTTP ${res.status}: ${text.slice(0, 200)}`, {
        retryable: true,
      });
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json };
  }

  /** Runs `fn` on each Alertmanager in order until one answers; the last retryable error if none does. */
  private async first<T>(fn: (base: string) => Promise<T>): Promise<T> {
    let last: unknown;
    for (const base of this.urls) {
      try {
        return await fn(base);
      } catch (err) {
        if (err instanceof AlertmanagerError && !err.retryable) throw err;
        last = err;
      }
    }
    throw last instanceof AlertmanagerError
      ? new AlertmanagerError(
          this.urls.length > 1 ? `no Alertmanager answered (last: ${last.message})` : last.message,
          { retryable: true, cause: last },
        )
      : last;
  }

  /**
   * Creates the silence, unless one whose comment holds `marker` is already active or pending
   * (an earlier attempt that got through before its answer was lost): a retry never silences twice.
   */
  create(req: SilenceRequest, marker: string, lookFirst: boolean): Promise<CreatedSilence> {
    return this.first(async (base) => {
      if (lookFirst) {
        const found = await this.findByMarker(base, marker);
        if (found) return { silenceId: found, alertmanager: base, existing: true };
      }
      const { status, json } = await this.call(base, 'POST', '/api/v2/silences', {
        matchers: req.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: false, isEqual: true })),
        startsAt: req.startsAt.toISOString(),
        endsAt: req.endsAt.toISOString(),
        createdBy: req.createdBy,
        comment: req.comment,
      });
      const id = (json as { silenceID?: unknown } | undefined)?.silenceID;
      if (status !== 200 || typeof id !== 'string')
        throw new AlertmanagerError(
          `${base} refused the silence (HTTP ${status}): ${JSON.stringify(json).slice(0, 200)}`,
          {
            retryable: false,
          },
        );
      return { silenceId: id, alertmanager: base, existing: false };
    });
  }

  private async findByMarker(base: string, marker: string): Promise<string | undefined> {
    const { status, json } = await this.call(base, 'GET', '/api/v2/silences');
    if (status !== 200)
      throw new AlertmanagerError(`${base} answered HTTP ${status} to a silence list`, { retryable: true });
    const parsed = silenceList.safeParse(json);
    if (!parsed.success)
      throw new AlertmanagerError(`${base} sent a silence list we cannot read`, { retryable: true });
    return parsed.data.find((s) => s.status.state !== 'expired' && s.comment.includes(marker))?.id;
  }

  /**
   * Expires a silence (`DELETE /api/v2/silence/{id}`). One that is already expired, or that this
   * cluster no longer knows, counts as done: what the user asked for is true.
   */
  expire(silenceId: string): Promise<void> {
    return this.first(async (base) => {
      const { status, json } = await this.call(
        base,
        'DELETE',
        `/api/v2/silence/${encodeURIComponent(silenceId)}`,
        undefined,
        /silence not found/,
      );
      // Expiring twice answers 200; an id this Alertmanager never had, 404 (500 on 0.25).
      if (status === 200 || status === 404) return;
      throw new AlertmanagerError(
        `${base} refused to expire ${silenceId} (HTTP ${status}): ${JSON.stringify(json).slice(0, 200)}`,
        {
          retryable: false,
        },
      );
    });
  }
}
