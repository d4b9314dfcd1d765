// @ts-check
/**
 * The controller's part for the phonebooks, the call journal and the search: their REST calls
 * and events. Owned by the Controller (`controller.records`); it tells views about changes
 * through the controller's events "phonebook" ({book, id, deleted}), "favorite" ({kind, id,
 * favorite}), "journal" ({entry}), "journal-missed" (the count is `missedUnseen`).
 */

/**
 * @typedef {import('./logic/phonebook.js').Book} Book
 * @typedef {import('./logic/phonebook.js').Entry} Entry
 * @typedef {import('./logic/phonebook.js').ImportResult} ImportResult
 * @typedef {import('./logic/journal.js').JournalEntry} JournalEntry
 * @typedef {import('./logic/journal.js').JournalDetail} JournalDetail
 * @typedef {import('./logic/search.js').SearchResult} SearchResult
 */

const enc = encodeURIComponent;

export class Records {
  /** @param {import('./controller.js').Controller} controller */
  constructor(controller) {
    this.controller = controller;
    /** missed calls not yet seen (JRNL-5) */
    this.missedUnseen = 0;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{json?: unknown, body?: BodyInit, contentType?: string}} [options]
   */
  request(method, path, options) {
    return this.controller.request(method, path, options);
  }

  /** Forgets what belongs to the session. */
  reset() {
    this.missedUnseen = 0;
  }

  // ---- Phonebook --------------------------------------------------------------------------

  /**
   * @param {Book} book
   * @param {{q?: string, limit?: number, offset?: number}} [query]
   * @returns {Promise<{entries: Entry[], total: number}>}
   */
  listEntries(book, { q = '', limit = 200, offset = 0 } = {}) {
    const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (q.trim()) params.set('q', q.trim());
    return this.request('GET', `/api/v1/phonebooks/${book}/entries?${params}`);
  }

  /**
   * One entry; when the server has no address for one entry, it is looked for in the list.
   * @param {Book} book
   * @param {string} id
   * @param {string} [name] narrows the fallback search
   * @returns {Promise<Entry | null>}
   */
  async getEntry(book, id, name = '') {
    try {
      return await this.request('GET', `/api/v1/phonebooks/${book}/entries/${enc(id)}`);
    } catch (error) {
      if (/** @type {{status?: number}} */ (error).status !== 404 && /** @type {{status?: number}} */ (error).status !== 405) throw error;
    }
    const { entries } = await this.listEntries(book, { q: name, limit: 200 });
    return entries.find((e) => e.id === id) ?? null;
  }

  /**
   * @param {Book} book
   * @param {object} body
   * @returns {Promise<Entry>}
   */
  async createEntry(book, body) {
    const entry = await this.request('POST', `/api/v1/phonebooks/${book}/entries`, { json: body });
    this.controller.emit('phonebook', { book, id: entry.id, entry });
    return entry;
  }

  /**
   * @param {Book} book
   * @param {string} id
   * @param {object} patch
   * @returns {Promise<Entry>}
   */
  async updateEntry(book, id, patch) {
    const entry = await this.request('PATCH', `/api/v1/phonebooks/${book}/entries/${enc(id)}`, { json: patch });
    this.controller.emit('phonebook', { book, id, entry });
    return entry;
  }

  /**
   * @param {Book} book
   * @param {string} id
   */
  async deleteEntry(book, id) {
    await this.request('DELETE', `/api/v1/phonebooks/${book}/entries/${enc(id)}`);
    this.controller.emit('phonebook', { book, id, deleted: true });
  }

  /**
   * Imports a vCard or CSV file as it is.
   * @param {Book} book
   * @param {Blob} file
   * @param {'text/vcard' | 'text/csv'} contentType
   * @returns {Promise<ImportResult>}
   */
  async importEntries(book, file, contentType) {
    const result = await this.request('POST', `/api/v1/phonebooks/${book}/import`, { body: file, contentType });
    this.controller.emit('phonebook', { book, id: null });
    return result;
  }

  /**
   * The book as a vCard file (a Blob; the caller offers it for download).
   * @param {Book} book
   * @returns {Promise<Blob>}
   */
  async exportEntries(book) {
    const answer = await this.request('GET', `/api/v1/phonebooks/${book}/export.vcf`);
    return answer instanceof Blob ? answer : new Blob([typeof answer === 'string' ? answer : JSON.stringify(answer)], { type: 'text/vcard' });
  }

  /**
   * Stars or unstars a phonebook entry (BOOK-4): it joins the contact list.
   * @param {string} id
   * @param {boolean} favorite
   */
  async setFavorite(id, favorite) {
    await this.request(favorite ? 'PUT' : 'DELETE', `/api/v1/contacts/favorites/phonebook-entry/${enc(id)}`);
    this.controller.emit('favorite', { kind: 'phonebook-entry', id, favorite });
  }

  // ---- Journal ----------------------------------------------------------------------------

  /**
   * @param {URLSearchParams} params from `journalParams`
   * @returns {Promise<{entries: JournalEntry[], missed_unseen: number}>}
   */
  async listJournal(params) {
    const answer = await this.request('GET', `/api/v1/journal?${params}`);
    if (typeof answer?.missed_unseen === 'number') this.setMissed(answer.missed_unseen);
    return answer;
  }

  /**
   * @param {string} id
   * @returns {Promise<JournalDetail>}
   */
  journalEntry(id) {
    return this.request('GET', `/api/v1/journal/${enc(id)}`);
  }

  /** @param {string} id */
  async deleteJournalEntry(id) {
    await this.request('DELETE', `/api/v1/journal/${enc(id)}`);
    this.controller.emit('journal', { id, deleted: true });
  }

  /** Marks all missed calls as seen: the badge goes. */
  async markJournalSeen() {
    this.setMissed(0);
    await this.request('POST', '/api/v1/journal/seen');
  }

  /** Reads the missed-calls count for the badge (at start and after a gap). */
  async refreshMissed() {
    await this.listJournal(new URLSearchParams({ limit: '1' }));
  }

  /** @param {number} count */
  setMissed(count) {
    if (count === this.missedUnseen) return;
    this.missedUnseen = count;
    this.controller.emit('journal-missed');
  }

  // ---- Search -----------------------------------------------------------------------------

  /**
   * @param {string} q
   * @param {number} [limit]
   * @returns {Promise<{results: SearchResult[]}>}
   */
  search(q, limit = 40) {
    return this.request('GET', `/api/v1/search?${new URLSearchParams({ q, limit: String(limit) })}`);
  }

  /** @returns {Promise<string[]>} */
  async recentSearches() {
    const { recent } = await this.request('GET', '/api/v1/search/recent');
    return recent ?? [];
  }

  /** @param {string} q */
  addRecentSearch(q) {
    return this.request('POST', '/api/v1/search/recent', { json: { q } });
  }

  clearRecentSearches() {
    return this.request('DELETE', '/api/v1/search/recent');
  }

  // ---- Events -----------------------------------------------------------------------------

  /**
   * Handles the frames of this part; false for frames it does not know.
   * @param {string} type
   * @param {any} data
   * @returns {boolean}
   */
  receive(type, data) {
    switch (type) {
      case 'phonebook.changed':
        this.controller.emit('phonebook', { book: data.book, id: data.id ?? null, deleted: Boolean(data.deleted) });
        return true;
      case 'favorites.changed':
        this.controller.emit('favorite', { kind: data.kind, id: data.id, favorite: Boolean(data.favorite) });
        return true;
      case 'journal.created':
        this.controller.emit('journal', { entry: data.entry });
        return true;
      case 'journal.missed':
        this.setMissed(Number(data.count) || 0);
        return true;
      default:
        return false;
    }
  }
}
