import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCountdown, remainingMs } from '../../src/teamline/web/static/js/logic/countdown.js';

test('remaining time to an ISO timestamp, never negative', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.equal(remainingMs('2026-01-01T12:05:00Z', now), 300_000);
  assert.equal(remainingMs('2026-01-01T11:59:00Z', now), 0);
  assert.equal(remainingMs('not a date', now), 0);
});

test('m:ss, rounding partial seconds up', () => {
  assert.equal(formatCountdown(300_000), '5:00');
  assert.equal(formatCountdown(299_001), '5:00');
  assert.equal(formatCountdown(299_000), '4:59');
  assert.equal(formatCountdown(9_000), '0:09');
  assert.equal(formatCountdown(1), '0:01');
  assert.equal(formatCountdown(0), '0:00');
  assert.equal(formatCountdown(-5), '0:00');
});

test('hours when needed', () => {
  assert.equal(formatCountdown(3_600_000), '1:00:00');
  assert.equal(formatCountdown(3_725_000), '1:02:05');
});
