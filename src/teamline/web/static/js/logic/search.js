// @ts-check
/**
 * The search without DOM (SRCH-1 … SRCH-5): grouping results by source, dropping answers to
 * queries that were overtaken, debouncing the typing, the recent searches list.
 */

/**
 * @typedef {'contact' | 'company-phonebook' | 'private-phonebook' | 'journal' | 'chat'} Source
 * @typedef {{source: Source, id: string, title: string, subtitle?: string | null,
 *   action: 'call' | 'chat' | 'open', number?: string | null, conversation_id?: string | null,
 *   message_id?: string | null}} SearchResult
 */

/** The order of the groups on screen. */
export const SOURCES = /** @type {Source[]} */ (['contact', 'company-phonebook', 'private-phonebook', 'journal', 'chat']);

/**
 * Results grouped by source in the order of SOURCES (unknown sources last), each group in the
 * server's order.
 * @param {SearchResult[]} results
 * @returns {Array<{source: string, results: SearchResult[]}>}
 */
export function groupResults(results) {
  /** @type {Map<string, SearchResult[]>} */
  const groups = new Map();
  for (const result of results) {
    const list = groups.get(result.source) ?? [];
    list.push(result);
    groups.set(result.source, list);
  }
  const rank = (/** @type {string} */ source) => {
    const i = SOURCES.indexOf(/** @type {Source} */ (source));
    return i < 0 ? SOURCES.length : i;
  };
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([source, list]) => ({ source, results: list }));
}

/**
 * Hands out tickets for requests; only the answer to the newest ticket counts.
 * @returns {{next: () => number, isLatest: (ticket: number) => boolean}}
 */
export function latestOnly() {
  let latest = 0;
  return {
    next: () => ++latest,
    isLatest: (ticket) => ticket === latest,
  };
}

/**
 * Calls `fn` once typing paused for `ms`; `cancel` drops a pending call.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @param {{set: (fn: () => void, ms: number) => any, clear: (id: any) => void}} [timers] (called
 *   as plain functions, never as methods: the browser's setTimeout refuses another `this`)
 * @returns {((...args: A) => void) & {cancel: () => void}}
 */
export function debounce(fn, ms, timers = { set: (f, t) => setTimeout(f, t), clear: (id) => clearTimeout(id) }) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const debounced = (/** @type {A} */ ...args) => {
    timers.clear(timer);
    timer = timers.set(() => fn(...args), ms);
  };
  debounced.cancel = () => timers.clear(timer);
  return debounced;
}

/**
 * The query as it is sent: trimmed, inner white space collapsed.
 * @param {string} text
 * @returns {string}
 */
export function normalizeQuery(text) {
  return text.trim().replace(/\s+/g, ' ');
}

/**
 * Recent searches after one more: newest first, no duplicates (case-insensitive), at most `max`.
 * @param {string[]} recent
 * @param {string} query
 * @param {number} [max]
 * @returns {string[]}
 */
export function addRecent(recent, query, max = 10) {
  const q = normalizeQuery(query);
  if (!q) return recent;
  return [q, ...recent.filter((r) => r.toLowerCase() !== q.toLowerCase())].slice(0, max);
}

/**
 * Whether a query looks like a phone number (digits with formatting), as the server decides.
 * @param {string} query
 * @returns {boolean}
 */
export function isNumberQuery(query) {
  return /^[\d\s+\-()/]+$/.test(query) && (query.match(/\d/g) ?? []).length >= 3;
}
