// @ts-check
/** Reconnect timing for the event socket. */

/**
 * Exponential backoff with jitter: 0.5 s, 1 s, 2 s … capped at `max`, each shortened by up
 * to 25 % at random so that many clients do not reconnect in lock step after a restart.
 * @param {number} attempt 0 for the first retry
 * @param {{base?: number, max?: number, random?: () => number}} [options]
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, { base = 500, max = 30_000, random = Math.random } = {}) {
  const plain = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(plain * (1 - 0.25 * random()));
}
