import assert from 'node:assert/strict';
import { test } from 'node:test';
// The limiter createEnricher puts in front of Prometheus (src/enrichment/enrich-notification.ts).
import pLimit from 'p-limit';

const afterMicrotasks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

test('a limit of 1 runs one task at a time, in arrival order, even for callers arriving as one finishes', async () => {
  const limit = pLimit(1);
  let active = 0;
  let maxActive = 0;
  const started: string[] = [];
  const task = (name: string, done: Promise<void>) => async (): Promise<void> => {
    started.push(name);
    active++;
    maxActive = Math.max(maxActive, active);
    await done;
    active--;
  };
  let finishFirst!: () => void;
  const first = limit(task('first', new Promise<void>((resolve) => (finishFirst = resolve))));
  const second = limit(task('second', Promise.resolve()));
  finishFirst();
  // One caller after each number of microtask turns: one of them lands after the first task has
  // released its slot but before the waiting `second` has resumed to take it.
  const late = Array.from({ length: 8 }, (_, n) =>
    afterMicrotasks(n).then(() => limit(task(`late${n}`, Promise.resolve()))),
  );
  await Promise.all([first, second, ...late]);
  assert.equal(maxActive, 1, `at most one task at a time (started: ${started.join(', ')})`);
  assert.deepEqual(started, ['first', 'second', ...late.map((_, n) => `late${n}`)]);
});
