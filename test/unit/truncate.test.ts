import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncate } from '../../src/lib/truncate.js';

test('truncate never cuts a surrogate pair', () => {
  // 'ab🔥' is 4 UTF-16 units; cutting at 3 units would leave half of the emoji.
  assert.equal(truncate('ab🔥cd', 4), 'ab…');
  assert.equal(truncate('ab🔥cd', 5), 'ab🔥…');
  assert.equal(truncate('ab🔥', 4), 'ab🔥');
  assert.equal(truncate('🔥'.repeat(100), 10), `${'🔥'.repeat(4)}…`);
  for (let max = 1; max < 30; max++) {
    const out = truncate('x🔥'.repeat(20), max);
    assert.ok(out.isWellFormed(), `max ${max}: ${JSON.stringify(out)}`);
    assert.ok(out.length <= max, `max ${max}: ${out.length}`);
  }
});
