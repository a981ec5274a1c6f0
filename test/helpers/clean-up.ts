/**
 * Runs every clean-up step of a suite even when one fails, so one failure does not leave the
 * rest (servers, processes, schemas) running; a failed step is reported, not thrown.
 * @example after(() => cleanUp([() => prometheus?.close(), () => router?.stop()]))
 */
export async function cleanUp(steps: ReadonlyArray<() => unknown>): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      process.stderr.write(`cleanup: ${(err as Error).message}\n`);
    }
  }
}
