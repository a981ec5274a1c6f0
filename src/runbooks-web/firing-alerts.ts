import { z } from 'zod';

/** An active, unsilenced, uninhibited alert as Alertmanager API v2 reports it. */
export interface FiringAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly generatorURL?: string;
}

/** Where the runbook pages learn what is firing now. */
export interface FiringAlertSource {
  active(signal?: AbortSignal): Promise<readonly FiringAlert[]>;
}

export class AlertmanagerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertmanagerUnavailableError';
  }
}

const gettableAlerts = z
  .array(
    z.object({
      fingerprint: z.string(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()).default({}),
      startsAt: z.string(),
      generatorURL: z.string().optional(),
    }),
  )
  .max(20_000);

/**
 * Reads `GET /api/v2/alerts?active=true&silenced=false&inhibited=false` (Alertmanager's
 * api/v2/openapi.yaml) with a timeout, so a slow Alertmanager never hangs a runbook page.
 * @example await alertmanagerFiringAlerts('http://alertmanager:9093').active()
 */
export function alertmanagerFiringAlerts(
  baseUrl: string,
  opts: { timeoutMs?: number } = {},
): FiringAlertSource {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v2/alerts?active=true&silenced=false&inhibited=false`;
  return {
    async active(signal) {
      const timeout = AbortSignal.timeout(opts.timeoutMs ?? 2000);
      let body: unknown;
      try {
        const res = await fetch(url, {
          headers: { accept: 'application/json' },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        if (!res.ok) throw new AlertmanagerUnavailableError(`Alertmanager answered HTTP ${res.status}`);
        body = await res.json();
      } catch (err) {
        if (err instanceof AlertmanagerUnavailableError) throw err;
        throw new AlertmanagerUnavailableError(`Alertmanager unreachable: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const parsed = gettableAlerts.safeParse(body);
      if (!parsed.success) throw new AlertmanagerUnavailableError('unexpected Alertmanager response');
      return parsed.data;
    },
  };
}
