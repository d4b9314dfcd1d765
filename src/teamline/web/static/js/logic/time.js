// @ts-check
/** Human wording of points in time ("5 minutes ago"). */

const UNITS = /** @type {const} */ ([
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]);

/**
 * Relative wording of an ISO time in a language, "just now" under a minute.
 * @param {string | null | undefined} iso
 * @param {number} now epoch milliseconds
 * @param {string} language BCP 47
 * @returns {string}
 */
export function relativeTime(iso, now, language) {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((at - now) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}
