import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeTime } from '../../src/teamline/web/static/js/logic/time.js';

const now = Date.parse('2026-01-01T12:00:00Z');

test('relative wording in English and German', () => {
  assert.equal(relativeTime('2026-01-01T11:55:00Z', now, 'en'), '5 minutes ago');
  assert.equal(relativeTime('2026-01-01T09:00:00Z', now, 'de'), 'vor 3 Stunden');
  assert.equal(relativeTime('2025-12-31T12:00:00Z', now, 'en'), 'yesterday');
  assert.equal(relativeTime('2026-01-01T11:59:40Z', now, 'en'), 'now');
});

test('missing or broken times give an empty string', () => {
  assert.equal(relativeTime(null, now, 'en'), '');
  assert.equal(relativeTime('garbage', now, 'en'), '');
});
