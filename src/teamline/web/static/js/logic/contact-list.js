// @ts-check
/**
 * The contact list's entries and their order (CONT-4 … CONT-9): colleagues, groups, teams and
 * favourite phonebook entries in one list; favourites on top; filtered by text and by one smart
 * filter; sorted by name, status or recent activity.
 */
import { matcher } from './match.js';
import { effectiveOf, presenceRank } from './presence.js';

/**
 * @typedef {import('./contacts.js').Colleague} Colleague
 * @typedef {import('./presence.js').Presence} Presence
 * @typedef {'user' | 'group' | 'phonebook-entry' | 'team'} ContactKind
 * @typedef {{kind: ContactKind, id: string, title: string, subtitle?: string | null,
 *   favorite: boolean, unread: number, conversation_id: string | null,
 *   last_activity_at: string | null, presence: Presence | null, number: string | null}} Contact
 *   as `GET /contacts` sends it
 * @typedef {Contact & {user?: Colleague, muted?: boolean}} Entry a contact as the list shows it
 * @typedef {'all' | 'online' | 'favorites' | 'unread' | 'teams' | 'groups'} SmartFilter
 * @typedef {'name' | 'status' | 'recent'} ContactSort
 */

/** @type {readonly SmartFilter[]} */
export const SMART_FILTERS = ['all', 'online', 'favorites', 'unread', 'teams', 'groups'];

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * One list from the directory (live names and presence), the server's contact list (favourites,
 * groups, phonebook favourites, activity) and the conversations (live unread counts).
 * @param {{users: Iterable<Colleague>, contacts: readonly Contact[] | null, meId: string | null,
 *   conversations?: Map<string, {unread: number, muted?: boolean, last_activity_at?: string | null}>,
 *   directs?: Map<string, string>}} sources `directs` maps a colleague's id to our conversation
 * @returns {Entry[]}
 */
export function buildEntries({ users, contacts, meId, conversations = new Map(), directs = new Map() }) {
  const byKey = new Map((contacts ?? []).map((c) => [`${c.kind}:${c.id}`, c]));
  /** @type {Entry[]} */
  const entries = [];
  const live = (/** @type {Entry} */ entry) => {
    const conversation = entry.conversation_id ? conversations.get(entry.conversation_id) : undefined;
    if (!conversation) return entry;
    return {
      ...entry,
      unread: conversation.unread,
      muted: conversation.muted,
      last_activity_at: later(entry.last_activity_at, conversation.last_activity_at ?? null),
    };
  };
  for (const user of users) {
    if (user.id === meId) continue;
    const server = byKey.get(`user:${user.id}`);
    const conversationId = server?.conversation_id ?? directs.get(user.id) ?? null;
    entries.push(live({
      kind: 'user',
      id: user.id,
      title: user.display_name,
      subtitle: server?.subtitle ?? null,
      favorite: Boolean(server?.favorite),
      unread: server?.unread ?? 0,
      conversation_id: conversationId,
      last_activity_at: server?.last_activity_at ?? null,
      presence: user.presence ?? server?.presence ?? null,
      number: user.extension ?? server?.number ?? null,
      user,
    }));
  }
  for (const contact of contacts ?? []) {
    if (contact.kind === 'user') continue; // the directory has the live version
    entries.push(live({ ...contact, favorite: Boolean(contact.favorite), unread: contact.unread ?? 0 }));
  }
  return entries;
}

/**
 * The later of two ISO times (either may be missing).
 * @param {string | null | undefined} a
 * @param {string | null | undefined} b
 * @returns {string | null}
 */
function later(a, b) {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * @param {Entry} entry
 * @param {SmartFilter} filter
 */
export function passesFilter(entry, filter) {
  switch (filter) {
    case 'online':
      return entry.kind === 'user' && effectiveOf(entry.presence) !== 'offline';
    case 'favorites':
      return entry.favorite;
    case 'unread':
      return entry.unread > 0;
    case 'teams':
      return entry.kind === 'team';
    case 'groups':
      return entry.kind === 'group';
    default:
      return true;
  }
}

/**
 * @param {Entry} a
 * @param {Entry} b
 */
function byName(a, b) {
  return collator.compare(a.title, b.title) || collator.compare(a.id, b.id);
}

/**
 * Entries that pass the text and the smart filter, favourites first, then in the chosen order.
 * Groups, teams and phonebook entries have no presence: sorted by status they come after the
 * colleagues who are online, before the offline ones.
 * @param {readonly Entry[]} entries
 * @param {{query?: string, filter?: SmartFilter, sort?: ContactSort}} [options]
 * @returns {Entry[]}
 */
export function visibleEntries(entries, { query = '', filter = 'all', sort = 'name' } = {}) {
  const test = matcher(query);
  const list = entries.filter(
    (e) => passesFilter(e, filter) && test(e.title, e.subtitle, e.number, e.user?.login, e.user?.email),
  );
  const rank = (/** @type {Entry} */ e) => (e.kind === 'user' ? presenceRank(e.presence) : 2.5);
  const at = (/** @type {Entry} */ e) => (e.last_activity_at ? Date.parse(e.last_activity_at) || 0 : 0);
  /** @type {(a: Entry, b: Entry) => number} */
  const order =
    sort === 'status' ? (a, b) => rank(a) - rank(b) || byName(a, b)
    : sort === 'recent' ? (a, b) => at(b) - at(a) || byName(a, b)
    : byName;
  return list.sort((a, b) => Number(b.favorite) - Number(a.favorite) || order(a, b));
}

/**
 * How many entries each smart filter would show (for the chips).
 * @param {readonly Entry[]} entries
 * @returns {Record<SmartFilter, number>}
 */
export function filterCounts(entries) {
  const counts = /** @type {Record<SmartFilter, number>} */ (Object.fromEntries(SMART_FILTERS.map((f) => [f, 0])));
  for (const entry of entries) for (const f of SMART_FILTERS) if (passesFilter(entry, f)) counts[f]++;
  return counts;
}
