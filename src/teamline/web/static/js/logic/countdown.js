// @ts-check
/** Countdown arithmetic for expiring things such as pairing codes (PAIR-2). */

/**
 * Milliseconds left until an ISO timestamp, never negative.
 * @param {string} expiresAt ISO 8601
 * @param {number} now epoch milliseconds
 * @returns {number}
 */
export function remainingMs(expiresAt, now) {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - now);
}

/**
 * Formats a duration as m:ss (or h:mm:ss), rounding partial seconds up so that
 * "0:00" shows only once the time is really over.
 * @param {number} ms
 * @returns {string}
 */
export function formatCountdown(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
