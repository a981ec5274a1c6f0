import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { BurstPause } from '../../src/runtime/burst-pause.js';

const limits = { inFlight: 16, endInFlight: 4, quietMs: 200, maxPauseMs: 2000, minRunMs: 1000 };

test('the workers stand back during a burst of webhooks, go on once it is quiet, and never longer than the limit', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    const calls: boolean[] = [];
    const burst = new BurstPause((paused) => calls.push(paused), limits);
    for (let n = 1; n < 16; n++) burst.load(n);
    assert.deepEqual(calls, [], 'a handful in flight is no burst');
    burst.load(16);
    assert.deepEqual(calls, [true]);
    burst.load(3);
    mock.timers.tick(199);
    assert.deepEqual(calls, [true], 'quiet for less than 200 ms');
    burst.load(20);
    mock.timers.tick(500);
    assert.deepEqual(calls, [true], 'bursting again: still standing back');
    burst.load(2);
    mock.timers.tick(200);
    assert.deepEqual(calls, [true, false], 'quiet for 200 ms: go on');

    // A flood that never ends: 2 s at most, then at least 1 s of work before the next pause.
    burst.load(16);
    assert.deepEqual(calls, [true, false, true]);
    for (let t = 0; t < 2000; t += 100) {
      burst.load(30);
      mock.timers.tick(100);
    }
    assert.deepEqual(calls, [true, false, true, false], 'resumed at the 2 s limit');
    burst.load(40);
    mock.timers.tick(900);
    burst.load(40);
    assert.equal(calls.length, 4, 'no pause within the second after a forced resume');
    mock.timers.tick(100);
    burst.load(40);
    assert.deepEqual(calls.at(-1), true);
    burst.stop();
  } finally {
    mock.timers.reset();
  }
});
