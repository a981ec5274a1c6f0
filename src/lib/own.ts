/**
 * `record[key]` only when the record itself has that key. Keys come from payloads (fingerprints,
 * alertnames, severities), and a plain lookup of "constructor" or "toString" finds Object's
 * prototype instead of nothing.
 * @example own(context.alerts, alert.fingerprint)
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
