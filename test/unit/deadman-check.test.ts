import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/deadman/deadman-check.js';

const S = 1000;
const t = (now: number, watchedSince = 0) => ({
  now,
  graceMs: 300 * S,
  startupGraceMs: 600 * S,
  watchedSince,
});

test('a source never heard from waits for its first heartbeat: no page, however long', () => {
  assert.deepEqual(evaluate({ state: 'ok', expectedSince: 0 }, t(600 * S + 1)), { action: 'none' });
  assert.deepEqual(evaluate({ state: 'ok', expectedSince: 0 }, t(365 * 86_400 * S)), { action: 'none' });
  assert.deepEqual(evaluate({ state: 'ok' }, t(10 * S)), { action: 'none' });
});

test('with expectFirstWithin, a source never heard from pages that long after it was first expected', () => {
  const within = (now: number, watchedSince = 0) => ({ ...t(now, watchedSince), expectFirstMs: 900 * S });
  assert.deepEqual(evaluate({ state: 'ok', expectedSince: 0 }, within(900 * S)), { action: 'none' });
  assert.deepEqual(evaluate({ state: 'ok', expectedSince: 0 }, within(900 * S + 1)), {
    action: 'page',
    since: 0,
  });
  // First tick ever: expectedSince not written yet counts as now.
  assert.deepEqual(evaluate({ state: 'ok' }, within(1000 * S)), { action: 'none' });
  // Time nobody was watching does not count: the wait starts again when watching resumes.
  assert.deepEqual(evaluate({ state: 'ok', expectedSince: 0 }, within(1500 * S, 1000 * S)), {
    action: 'none',
  });
  assert.deepEqual(evaluate({ state: 'ok', expectedSince: 0 }, within(1900 * S + 1, 1000 * S)), {
    action: 'page',
    since: 1000 * S,
  });
});

test('a source pages after its grace since the last heartbeat, dated from that heartbeat', () => {
  const r = { state: 'ok' as const, expectedSince: 0, lastHeartbeat: 1000 * S };
  assert.deepEqual(evaluate(r, t(1300 * S)), { action: 'none' });
  assert.deepEqual(evaluate(r, t(1300 * S + 1)), { action: 'page', since: 1000 * S });
});

test('a source heard from during the start-up grace is judged by its own grace at once', () => {
  const r = { state: 'ok' as const, expectedSince: 0, lastHeartbeat: 10 * S };
  assert.deepEqual(evaluate(r, t(310 * S)), { action: 'none' });
  assert.deepEqual(evaluate(r, t(310 * S + 1)), { action: 'page', since: 10 * S });
});

test('after a gap in watching (router or Redis down) sources get the start-up grace again', () => {
  const r = { state: 'ok' as const, expectedSince: 0, lastHeartbeat: 1000 * S };
  assert.deepEqual(evaluate(r, t(2000 * S, 1900 * S)), { action: 'none' });
  assert.deepEqual(evaluate(r, t(2500 * S + 1, 1900 * S)), { action: 'page', since: 1000 * S });
});

test('a silent source stays silent (no new page) until a newer heartbeat, then resolves', () => {
  const silent = { state: 'silent' as const, since: 1000 * S, lastHeartbeat: 1000 * S, incident: 'x' };
  assert.deepEqual(evaluate(silent, t(9999 * S)), { action: 'none' });
  assert.deepEqual(evaluate({ ...silent, lastHeartbeat: 1000 * S + 1 }, t(9999 * S)), { action: 'resolve' });
  const neverSeen = { state: 'silent' as const, since: 0, incident: 'y' };
  assert.deepEqual(evaluate(neverSeen, t(9999 * S)), { action: 'none' });
  assert.deepEqual(evaluate({ ...neverSeen, lastHeartbeat: 5 }, t(9999 * S)), { action: 'resolve' });
});
