// @ts-check
/**
 * The call journal without DOM (JRNL-1 … JRNL-5): filter chips as query parameters and as a
 * test for live entries, durations, day headings, merging pages and live entries.
 */

/**
 * @typedef {'answered' | 'missed' | 'completed-elsewhere' | 'voicemail' | 'busy' | 'rejected'} CallResult
 * @typedef {{name?: string | null, number?: string | null, display?: string | null, user_id?: string | null, source?: string | null}} Party
 * @typedef {{id: string, call_id?: string, direction: 'inbound' | 'outbound', result: CallResult,
 *   party: Party, internal: boolean, system?: boolean, team_name?: string | null,
 *   device?: string | null, started_at: string, ring_seconds?: number, talk_seconds?: number,
 *   seen?: boolean}} JournalEntry
 * @typedef {JournalEntry & {route?: Array<{at: string, event: string, target?: string | null}>,
 *   recent_with_party?: JournalEntry[], copy_text?: string}} JournalDetail
 * @typedef {'all' | 'missed' | 'in' | 'out' | 'internal' | 'external'} JournalFilter
 */

/** @type {JournalFilter[]} */
export const FILTERS = ['all', 'missed', 'in', 'out', 'internal', 'external'];

/**
 * The query string parameters for a filter chip and the page before an entry.
 * @param {JournalFilter} filter
 * @param {{limit?: number, before?: string | null}} [page]
 * @returns {URLSearchParams}
 */
export function journalParams(filter, { limit = 50, before = null } = {}) {
  const params = new URLSearchParams();
  if (filter === 'missed') params.set('result', 'missed');
  else if (filter === 'in') params.set('direction', 'inbound');
  else if (filter === 'out') params.set('direction', 'outbound');
  else if (filter === 'internal') params.set('internal', 'true');
  else if (filter === 'external') params.set('internal', 'false');
  params.set('limit', String(limit));
  if (before) params.set('before', before);
  return params;
}

/**
 * Whether an entry belongs in the list under a filter (for entries arriving live), and not a
 * system call when those are hidden (JRNL-4, SET-5).
 * @param {JournalEntry} entry
 * @param {JournalFilter} filter
 * @param {boolean} [hideSystem]
 * @returns {boolean}
 */
export function matchesFilter(entry, filter, hideSystem = false) {
  if (hideSystem && entry.system) return false;
  switch (filter) {
    case 'missed':
      return entry.result === 'missed';
    case 'in':
      return entry.direction === 'inbound';
    case 'out':
      return entry.direction === 'outbound';
    case 'internal':
      return entry.internal === true;
    case 'external':
      return entry.internal === false;
    default:
      return true;
  }
}

/**
 * Talk time as "0:42", "12:05" or "1:02:09"; empty when nothing was talked.
 * @param {number | null | undefined} seconds
 * @returns {string}
 */
export function formatDuration(seconds) {
  if (!seconds || seconds < 0) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * The heading a call is listed under: "today", "yesterday" or the date in the local zone.
 * @param {string} iso
 * @param {number} now epoch ms
 * @param {string} language
 * @returns {{key: string, kind: 'today' | 'yesterday' | 'date', label: string}}
 */
export function dayHeading(iso, now, language) {
  const at = new Date(iso);
  const dayStart = (/** @type {Date} */ d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const key = `${at.getFullYear()}-${at.getMonth() + 1}-${at.getDate()}`;
  const days = Math.round((dayStart(new Date(now)) - dayStart(at)) / 86_400_000);
  const label = new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'long', year: at.getFullYear() === new Date(now).getFullYear() ? undefined : 'numeric' }).format(at);
  return { key, kind: days === 0 ? 'today' : days === 1 ? 'yesterday' : 'date', label };
}

/**
 * The clock time of a call ("14:05").
 * @param {string} iso
 * @param {string} language
 * @returns {string}
 */
export function clockTime(iso, language) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/**
 * Groups entries (newest first) under day headings.
 * @param {JournalEntry[]} entries
 * @param {number} now
 * @param {string} language
 * @returns {Array<{heading: ReturnType<typeof dayHeading>, entries: JournalEntry[]}>}
 */
export function groupByDay(entries, now, language) {
  /** @type {Array<{heading: ReturnType<typeof dayHeading>, entries: JournalEntry[]}>} */
  const groups = [];
  for (const entry of entries) {
    const heading = dayHeading(entry.started_at, now, language);
    const last = groups[groups.length - 1];
    if (last && last.heading.key === heading.key) last.entries.push(entry);
    else groups.push({ heading, entries: [entry] });
  }
  return groups;
}

/**
 * Merges entries into a list: no duplicates, newest first.
 * @param {JournalEntry[]} list
 * @param {JournalEntry[]} more
 * @returns {JournalEntry[]}
 */
export function mergeEntries(list, more) {
  const byId = new Map(list.map((e) => [e.id, e]));
  for (const entry of more) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at) || (a.id < b.id ? 1 : -1));
}

/**
 * Who the call was with, for the list: the name, else the number, else "unknown".
 * @param {Party | null | undefined} party
 * @returns {{title: string, number: string, known: boolean}}
 */
export function partyLabel(party) {
  const name = party?.name?.trim() ?? '';
  const number = (party?.display ?? party?.number)?.trim() ?? '';
  return { title: name || number, number: name ? number : '', known: Boolean(name || number) };
}

/**
 * What to copy when the server gives no copy text (JRNL-3): "Name, +49 …".
 * @param {JournalDetail} entry
 * @returns {string}
 */
export function copyText(entry) {
  if (entry.copy_text) return entry.copy_text;
  return [entry.party?.name, entry.party?.display ?? entry.party?.number].filter(Boolean).join(', ');
}
