/**
 * The body of POST /fault on the ML-platform demo. Unknown keys are refused, so a typo does not
 * quietly inject nothing.
 */
export interface MlPlatformFault {
  staleFeatureView?: string;
  gpuTemperature?: number;
  gpuMemoryUsedRatio?: number;
  dbPoolExhaustion?: boolean;
  slowQuery?: boolean;
}

export class MlFaultError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid fault: ${problems.join('; ')}`);
    this.name = 'MlFaultError';
  }
}

export function parseMlFault(body: unknown, views: string[]): MlPlatformFault {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new MlFaultError(['body must be a JSON object']);
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  const known = ['staleFeatureView', 'gpuTemperature', 'gpuMemoryUsedRatio', 'dbPoolExhaustion', 'slowQuery'];
  for (const key of Object.keys(input)) if (!known.includes(key)) problems.push(`unknown field "${key}"`);
  const fault: MlPlatformFault = {};
  if (input.staleFeatureView !== undefined) {
    if (typeof input.staleFeatureView !== 'string' || !views.includes(input.staleFeatureView))
      problems.push(`staleFeatureView must be one of ${views.join(', ')}`);
    else fault.staleFeatureView = input.staleFeatureView;
  }
  const num = (key: 'gpuTemperature' | 'gpuMemoryUsedRatio', min: number, max: number): void => {
    const value = input[key];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      problems.push(`${key} must be a number in [${min}, ${max}]`);
    else fault[key] = value;
  };
  num('gpuTemperature', 0, 130);
  num('gpuMemoryUsedRatio', 0, 1);
  for (const key of ['dbPoolExhaustion', 'slowQuery'] as const) {
    if (input[key] === undefined) continue;
    if (input[key] !== true) problems.push(`${key} must be true (DELETE /fault clears it)`);
    else fault[key] = true;
  }
  if (Object.keys(fault).length === 0 && problems.length === 0)
    problems.push(`set one of ${known.join(', ')} (DELETE /fault clears them)`);
  if (problems.length > 0) throw new MlFaultError(problems);
  return fault;
}
