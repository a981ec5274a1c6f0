/**
 * A counting semaphore: at most `max` tasks run at once, the rest wait in order. Keeps one
 * notification's queries (or many notifications at once) from flooding Prometheus.
 * @example const limit = concurrencyLimit(8); await limit(() => client.query(q, opts))
 */
export function concurrencyLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
