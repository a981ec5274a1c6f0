const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time as a reader scans it: "03:12 UTC" on the day the message is sent, "25 Nov 03:12 UTC" on
 * another day, with the year when that differs too. Undefined for a time that is not one.
 * @example clockTime(Date.parse('2026-11-25T03:12:40Z'), Date.parse('2026-11-25T03:26:00Z')) // '03:12 UTC'
 */
export function clockTime(ms: number, now: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  const n = new Date(now);
  if (Number.isNaN(d.getTime())) return undefined;
  const hhmm = d.toISOString().slice(11, 16);
  if (d.toISOString().slice(0, 10) === n.toISOString().slice(0, 10)) return `${hhmm} UTC`;
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return d.getUTCFullYear() === n.getUTCFullYear()
    ? `${day} ${hhmm} UTC`
    : `${day} ${d.getUTCFullYear()} ${hhmm} UTC`;
}

/**
 * A span of time in the two largest units a reader needs: "40 s", "14 min", "2 h 5 min", "3 d 4 h".
 * @example humanDuration(14 * 60_000) // '14 min'
 */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** The payload's times read as every channel reads them (year 1 and past 9999: no time). */
export { payloadTime as parseTime } from '../../alert/firing-time.js';
