/**
 * Polls until `fn` returns a truthy value or the timeout passes (then throws with `what`, which may
 * be a function so the message can show state as it is at the timeout, such as a process's output).
 * @example const job = await waitFor(() => queue.getJob(id), 'the job', 5_000)
 */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  what: string | (() => string),
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
    }
    await sleep(everyMs);
  }
}

/** @example await sleep(1_100) // past a 1 s dedup window */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
