// @ts-check
/**
 * The search area (SRCH-1 … SRCH-5): one field over colleagues, phonebooks, journal and chats;
 * live results grouped by source, each with its action; recent searches while the field is empty.
 */
import { Disposer, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { toast } from '../components/toast.js';
import { debounce, groupResults, latestOnly, normalizeQuery } from '../logic/search.js';
import { openContactDetails } from './contact-details.js';
import { errorText } from './error-text.js';
import { openJournalDetail } from './journal-detail.js';
import { openEntryDetails } from './phonebook-entry.js';
import { callNumber, openChat } from './search-actions.js';

/**
 * @typedef {import('../logic/search.js').SearchResult} SearchResult
 * @typedef {import('../controller.js').Controller} Controller
 */

/** @type {Record<string, import('../components/icons.js').IconName>} */
const SOURCE_ICONS = { contact: 'contacts', 'company-phonebook': 'building', 'private-phonebook': 'book', journal: 'journal', chat: 'chat' };

/**
 * @param {HTMLElement} container
 * @param {Controller} controller
 * @returns {() => void} unmount
 */
export function mountSearch(container, controller) {
  const disposer = new Disposer();
  const tickets = latestOnly();
  /** @type {string[]} */
  let recent = [];

  const input = h('input', {
    class: 'input input-search',
    type: 'search',
    enterkeyhint: 'search',
    autocomplete: 'off',
    placeholder: t('search.placeholder'),
    'aria-label': t('search.placeholder'),
    'data-testid': 'search-input',
    oninput: () => {
      const q = normalizeQuery(input.value);
      if (!q) {
        tickets.next(); // answers still on their way are stale now
        live.cancel();
        showRecent();
      } else {
        live(q);
      }
    },
  });
  const results = h('div', { class: 'search-results', 'data-testid': 'search-results', 'aria-live': 'polite' });

  /** @param {string} q */
  const run = async (q) => {
    const ticket = tickets.next();
    results.setAttribute('aria-busy', 'true');
    try {
      const answer = await controller.records.search(q);
      if (!tickets.isLatest(ticket)) return;
      showResults(q, answer.results ?? []);
    } catch (error) {
      if (!tickets.isLatest(ticket)) return;
      replace(results, h('p', { class: 'form-error', role: 'alert' }, errorText(error)));
    } finally {
      if (tickets.isLatest(ticket)) results.removeAttribute('aria-busy');
    }
  };
  const live = debounce(run, 150);

  /** @param {string} q */
  const remember = (q) => {
    controller.records.addRecentSearch(q).catch(() => {});
    recent = [q, ...recent.filter((r) => r.toLowerCase() !== q.toLowerCase())];
  };

  /**
   * @param {SearchResult} result
   * @param {string} q
   */
  const open = async (result, q) => {
    remember(q);
    try {
      if (result.source === 'contact') {
        const user = controller.users.get(result.id);
        if (user) openContactDetails(controller, user);
        else if (result.number) callNumber(result.number);
      } else if (result.source === 'company-phonebook' || result.source === 'private-phonebook') {
        const book = result.source === 'company-phonebook' ? 'company' : 'private';
        const entry = await controller.records.getEntry(book, result.id, result.title);
        if (entry) openEntryDetails(controller, entry);
      } else if (result.source === 'journal') {
        openJournalDetail(controller, await controller.records.journalEntry(result.id));
      } else if (result.source === 'chat') {
        openChat(controller, result);
      }
    } catch (error) {
      toast(errorText(error), { kind: 'error' });
    }
  };

  /**
   * @param {SearchResult} result
   * @param {string} q
   */
  const act = (result, q) => {
    if (result.action === 'call') {
      remember(q);
      callNumber(result.number);
    } else if (result.action === 'chat') {
      remember(q);
      openChat(controller, result);
    } else {
      open(result, q);
    }
  };

  /**
   * @param {SearchResult} result
   * @param {string} q
   */
  const row = (result, q) => {
    const actionIcon = result.action === 'call' ? 'phone' : result.action === 'chat' ? 'chat' : 'chevron';
    const colleague = result.source === 'contact' ? controller.users.get(result.id) : undefined;
    return h(
      'li',
      { class: 'contact search-result', 'data-testid': `search-result-${result.source}-${result.id}`, 'data-source': result.source },
      h(
        'button',
        { class: 'contact-button', type: 'button', 'data-testid': 'search-open', onclick: () => open(result, q) },
        colleague ? avatar(controller, colleague) : h('span', { class: 'source-icon', 'data-source': result.source }, icon(SOURCE_ICONS[result.source] ?? 'search', { size: 20 })),
        h('span', { class: 'contact-main' }, h('span', { class: 'contact-name' }, result.title), result.subtitle ? h('span', { class: 'contact-status' }, result.subtitle) : null),
      ),
      result.action === 'open'
        ? null
        : h('button', { class: `icon-btn action-btn action-${result.action}`, type: 'button', 'aria-label': t(`search.action.${result.action}`), 'data-testid': 'search-action', 'data-action': result.action, onclick: () => act(result, q) }, icon(actionIcon, { size: 20 })),
    );
  };

  /**
   * @param {string} q
   * @param {SearchResult[]} found
   */
  const showResults = (q, found) => {
    if (found.length === 0) {
      replace(results, h('div', { class: 'list-empty', 'data-testid': 'search-none' }, icon('search', { size: 40, class: 'empty-icon' }), h('p', null, t('search.none', { query: q }))));
      return;
    }
    replace(
      results,
      groupResults(found).map(({ source, results: group }) =>
        h('section', { class: 'search-group', 'data-testid': `search-group-${source}` }, h('h2', { class: 'section-title' }, t(`search.source.${source}`)), h('ul', { class: 'contact-list' }, group.map((r) => row(r, q)))),
      ),
    );
  };

  const showRecent = () => {
    if (recent.length === 0) {
      replace(results, h('div', { class: 'empty-state search-intro', 'data-testid': 'search-intro' }, h('div', { class: 'empty-badge' }, icon('search', { size: 44 })), h('p', null, t('search.intro'))));
      return;
    }
    replace(
      results,
      h(
        'section',
        { class: 'search-group', 'data-testid': 'search-recent' },
        h('div', { class: 'group-head' }, h('h2', { class: 'section-title' }, t('search.recent')), h('button', { class: 'btn btn-small btn-danger-quiet', type: 'button', 'data-testid': 'search-recent-clear', onclick: () => clearRecent() }, t('search.recentClear'))),
        h(
          'ul',
          { class: 'contact-list' },
          recent.map((q) =>
            h('li', { class: 'contact' }, h('button', { class: 'contact-button recent-item', type: 'button', 'data-testid': 'search-recent-item', onclick: () => { input.value = q; run(q); } }, icon('refresh', { size: 18, class: 'icon muted' }), h('span', { class: 'contact-name' }, q))),
          ),
        ),
      ),
    );
  };

  const clearRecent = async () => {
    try {
      await controller.records.clearRecentSearches();
      recent = [];
      if (!normalizeQuery(input.value)) showRecent();
    } catch (error) {
      toast(errorText(error), { kind: 'error' });
    }
  };

  container.replaceChildren(
    h(
      'section',
      { class: 'page', 'data-testid': 'search' },
      h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('nav.search.title'))),
      h('div', { class: 'filter-bar' }, icon('search', { size: 18, class: 'filter-icon' }), input),
      results,
    ),
  );
  showRecent();
  controller.records
    .recentSearches()
    .then((list) => {
      recent = list;
      if (!normalizeQuery(input.value)) showRecent();
    })
    .catch(() => {});
  disposer.add(() => live.cancel());
  disposer.add(() => tickets.next());
  input.focus();
  return () => disposer.dispose();
}
