/** Labels worth showing to a human first; the rest are noise at 3 a.m. */
export const KEY_LABELS = ['severity', 'service', 'team', 'cluster', 'namespace', 'instance', 'job'];
