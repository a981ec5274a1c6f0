/**
 * One scrape of a /metrics endpoint as `series -> value`, the series written as in the text
 * format (`name{a="b"}`), so a test reads what Prometheus would store.
 */
export async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`GET ${url}/metrics answered ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The value of one series, failing loudly when it is missing. */
export function sample(metrics: Map<string, number>, series: string): number {
  const value = metrics.get(series);
  if (value === undefined)
    throw new Error(
      `no series ${series}; have: ${[...metrics.keys()].filter((k) => k.startsWith(series.split('{')[0] ?? '')).join(', ') || 'none like it'}`,
    );
  return value;
}
