/** What the operator asked the demo to break. Zero values mean "no fault". */
export interface Fault {
  errorRate: number;
  latencyMs: number;
}

export interface FaultView extends Fault {
  active: boolean;
  /** ISO time the fault clears itself, or null when it lasts until DELETE /fault. */
  expiresAt: string | null;
}

export class FaultValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid fault: ${problems.join('; ')}`);
    this.name = 'FaultValidationError';
  }
}

const MAX_LATENCY_MS = 60_000;
const MAX_DURATION_S = 24 * 3600;

/**
 * Validates a POST /fault body. Unknown keys are rejected so a typo such as `error_rate`
 * fails loudly instead of silently injecting nothing.
 *
 * @example parseFaultRequest({ errorRate: 0.2 }) // { errorRate: 0.2, latencyMs: 0 }
 */
export function parseFaultRequest(body: unknown): Fault & { durationSeconds?: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultValidationError(['body must be a JSON object']);
  }
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!['errorRate', 'latencyMs', 'durationSeconds'].includes(key)) problems.push(`unknown field "${key}"`);
  }
  const num = (key: string, min: number, max: number): number | undefined => {
    const value = input[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      problems.push(`${key} must be a number in [${min}, ${max}]`);
      return undefined;
    }
    return value;
  };
  const errorRate = num('errorRate', 0, 1);
  const latencyMs = num('latencyMs', 0, MAX_LATENCY_MS);
  const durationSeconds = num('durationSeconds', 1, MAX_DURATION_S);
  if (errorRate === undefined && latencyMs === undefined && problems.length === 0) {
    problems.push('set errorRate and/or latencyMs (use DELETE /fault to clear)');
  }
  if (problems.length > 0) throw new FaultValidationError(problems);
  return {
    errorRate: errorRate ?? 0,
    latencyMs: latencyMs ?? 0,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
  };
}

/**
 * The one fault currently in force. A new POST replaces the previous fault rather than merging,
 * so what GET /fault shows is exactly what the last request asked for.
 */
export class FaultState {
  private fault: Fault = { errorRate: 0, latencyMs: 0 };
  private expiresAtMs: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  set(fault: Fault, durationSeconds?: number): FaultView {
    this.fault = { errorRate: fault.errorRate, latencyMs: fault.latencyMs };
    this.expiresAtMs = durationSeconds === undefined ? null : this.now() + durationSeconds * 1000;
    return this.view();
  }

  clear(): FaultView {
    this.fault = { errorRate: 0, latencyMs: 0 };
    this.expiresAtMs = null;
    return this.view();
  }

  /** Expiry is checked lazily on read, so there is no timer to leak or to cancel. */
  current(): Fault {
    if (this.expiresAtMs !== null && this.now() >= this.expiresAtMs) this.clear();
    return this.fault;
  }

  view(): FaultView {
    const fault = this.current();
    return {
      ...fault,
      active: fault.errorRate > 0 || fault.latencyMs > 0,
      expiresAt: this.expiresAtMs === null ? null : new Date(this.expiresAtMs).toISOString(),
    };
  }
}
