import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sparkline } from '../../src/enrichment/sparkline.js';

describe('sparkline', () => {
  it('maps the range onto eight bars', () => {
    assert.equal(sparkline([1, 2, 3, 4]), '▁▃▆█');
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
  });
  it('renders gaps and infinities', () => {
    assert.equal(sparkline([1, NaN, 3]), '▁ █');
    assert.equal(sparkline([1, Infinity, 2]), '▁██');
  });
  it('renders a flat series as a flat line and nothing as nothing', () => {
    assert.equal(sparkline([5, 5, 5]), '▁▁▁');
    assert.equal(sparkline([]), '');
  });
  it('resamples long series to the width', () => {
    const s = sparkline(
      Array.from({ length: 600 }, (_, i) => i),
      30,
    );
    assert.equal([...s].length, 30);
    assert.equal([...s][0], '▁');
    assert.equal([...s][29], '█');
  });
});
