const sig = (n: number): string => {
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 1e15 || a < 1e-3) return n.toExponential(2);
  const s = n.toPrecision(3);
  return s.includes('e') ? String(Number(s)) : String(Number(s));
};

const scaled = (n: number, base: number, units: readonly string[]): string => {
  let i = 0;
  let v = n;
  while (Math.abs(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${sig(v)} ${units[i]}`;
};

/**
 * A Prometheus sample value ("0.0523", "NaN", "+Inf") as a human reads it, in the runbook's
 * unit: ratio and percent as %, bytes in KiB/MiB/GiB, seconds in ms/s, otherwise a number and
 * the unit as given.
 * @example formatValue('0.0523', 'ratio') // '5.23 %'
 */
export function formatValue(raw: string | number, unit?: string): string {
  // Prometheus writes infinities as "+Inf"/"-Inf", which Number() does not parse.
  const n =
    typeof raw === 'number'
      ? raw
      : /^[+-]?inf$/i.test(raw.trim())
        ? raw.trim().startsWith('-')
          ? -Infinity
          : Infinity
        : Number(raw);
  if (Number.isNaN(n)) return 'NaN (no data)';
  if (n === Infinity) return '+∞';
  if (n === -Infinity) return '−∞';
  switch (unit) {
    case 'ratio':
      return `${sig(n * 100)} %`;
    case 'percent':
    case '%':
      return `${sig(n)} %`;
    case 'bytes':
      return scaled(n, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']);
    case 'seconds':
    case 's':
      return Math.abs(n) < 1 && n !== 0 ? `${sig(n * 1000)} ms` : `${sig(n)} s`;
    case undefined:
    case '':
      return sig(n);
    default:
      return `${sig(n)} ${unit}`;
  }
}

/** "3d 4h", "2h 5m", "4m 10s": how long an alert has been firing. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
