import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/teamline/web/static/js/logic/backoff.js';

test('doubles from 0.5 s up to the cap', () => {
  const noJitter = { random: () => 0 };
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(n, noJitter)), [500, 1000, 2000, 4000]);
  assert.equal(backoffDelay(20, noJitter), 30_000);
  assert.equal(backoffDelay(-1, noJitter), 500);
});

test('jitter shortens by at most a quarter', () => {
  assert.equal(backoffDelay(3, { random: () => 1 }), 3000);
  for (let i = 0; i < 50; i++) {
    const d = backoffDelay(2);
    assert.ok(d >= 1500 && d <= 2000, String(d));
  }
});
