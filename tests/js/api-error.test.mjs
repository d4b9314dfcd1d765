import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, errorKey, parseRetryAfter } from '../../src/teamline/web/static/js/logic/api-error.js';

test('an ApiError carries what the server said', () => {
  const error = new ApiError(429, 'too-many-attempts', 'Slow down', {}, 30);
  assert.ok(error instanceof Error);
  assert.equal(error.status, 429);
  assert.equal(error.code, 'too-many-attempts');
  assert.equal(error.retryAfter, 30);
});

test('known codes are worded by the client, the rest by the server', () => {
  assert.equal(errorKey({ code: 'pairing-code-expired' }), 'error.pairing-code-expired');
  assert.equal(errorKey({ code: 'password-managed-externally' }), 'error.password-managed-externally');
  assert.equal(errorKey({ code: 'something-new' }), null);
  assert.equal(errorKey(null), null);
});

test('Retry-After as seconds or HTTP date', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.equal(parseRetryAfter('42', now), 42);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:01:00 GMT', now), 60);
  assert.equal(parseRetryAfter(null, now), null);
  assert.equal(parseRetryAfter('soon', now), null);
});
