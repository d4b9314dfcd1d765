// @ts-check
/** Which colleagues the contact list shows, and in which order (CONT-6, CONT-7). */
import { matcher } from './match.js';
import { presenceRank } from './presence.js';

/**
 * @typedef {{id: string, login: string, display_name: string, extension?: string | null,
 *   email?: string | null, mobile_number?: string | null, role?: string,
 *   avatar_version?: number, presence?: import('./presence.js').Presence}} Colleague
 */
/** @typedef {'name' | 'status' | 'recent'} ContactSort */

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * @param {Colleague} a
 * @param {Colleague} b
 */
function byName(a, b) {
  return collator.compare(a.display_name, b.display_name) || collator.compare(a.login, b.login);
}

/**
 * Filters by word-part match over name, login, extension and email, then sorts.
 * @param {Iterable<Colleague>} colleagues
 * @param {{query?: string, sort?: ContactSort, excludeId?: string | null,
 *   recent?: Map<string, number>}} options `recent` maps user id to last activity (epoch ms)
 * @returns {Colleague[]}
 */
export function visibleColleagues(colleagues, { query = '', sort = 'name', excludeId = null, recent } = {}) {
  const test = matcher(query);
  const list = [...colleagues].filter(
    (c) => c.id !== excludeId && test(c.display_name, c.login, c.extension, c.email),
  );
  if (sort === 'status') {
    list.sort((a, b) => presenceRank(a.presence) - presenceRank(b.presence) || byName(a, b));
  } else if (sort === 'recent') {
    const at = (/** @type {Colleague} */ c) => recent?.get(c.id) ?? 0;
    list.sort((a, b) => at(b) - at(a) || byName(a, b));
  } else {
    list.sort(byName);
  }
  return list;
}

/**
 * Up to two initials of a display name ("Max-Andreas Mustermann" → "MM").
 * @param {string} name
 * @returns {string}
 */
export function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = [...parts[0]][0] ?? '';
  const last = parts.length > 1 ? [...parts[parts.length - 1]][0] ?? '' : '';
  return (first + last).toUpperCase();
}
