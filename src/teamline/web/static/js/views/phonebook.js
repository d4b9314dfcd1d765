// @ts-check
/**
 * The phonebook area (BOOK-1 … BOOK-5): the company and my private book, a filter, entries with
 * a star, adding (for those who may), import and export.
 */
import { Disposer, h, replace } from '../dom.js';
import { getLanguage, t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { segmented } from '../components/segmented.js';
import { toast } from '../components/toast.js';
import { entrySubtitle, mayWrite, upsertEntry } from '../logic/phonebook.js';
import { debounce, latestOnly } from '../logic/search.js';
import { errorText } from './error-text.js';
import { entryBadge, openEntryDetails, openEntryForm, starButton } from './phonebook-entry.js';
import { openImport } from './phonebook-import.js';

/**
 * @typedef {import('../logic/phonebook.js').Book} Book
 * @typedef {import('../logic/phonebook.js').Entry} Entry
 */

const BOOK_KEY = 'teamline.phonebook.book';

/**
 * @param {HTMLElement} container
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountPhonebook(container, controller) {
  const disposer = new Disposer();
  /** @type {Book} */
  let book = sessionStorage.getItem(BOOK_KEY) === 'private' ? 'private' : 'company';
  /** @type {Entry[] | null} */
  let entries = null;
  let total = 0;
  /** @type {unknown} */
  let failure = null;
  const tickets = latestOnly();

  const switcher = segmented({
    label: t('phonebook.books'),
    testid: 'phonebook-book',
    options: [
      { value: 'company', label: t('phonebook.book.company') },
      { value: 'private', label: t('phonebook.book.private') },
    ],
    value: book,
    onChange: (value) => {
      book = /** @type {Book} */ (value);
      sessionStorage.setItem(BOOK_KEY, book);
      entries = null;
      render();
      load();
    },
  });
  const filter = h('input', {
    class: 'input input-search',
    type: 'search',
    enterkeyhint: 'search',
    autocomplete: 'off',
    placeholder: t('phonebook.filter'),
    'aria-label': t('phonebook.filter'),
    'data-testid': 'phonebook-filter',
    oninput: () => reload(),
  });
  const reload = debounce(() => load(), 150);
  const count = h('span', { class: 'page-count', 'data-testid': 'phonebook-count' });
  const actions = h('div', { class: 'page-actions' });
  const list = h('ul', { class: 'contact-list entry-list', 'data-testid': 'phonebook-list' });
  const empty = h('div', { class: 'list-empty', 'data-testid': 'phonebook-empty', hidden: true });

  const load = async () => {
    const ticket = tickets.next();
    try {
      const answer = await controller.records.listEntries(book, { q: filter.value });
      if (!tickets.isLatest(ticket)) return;
      entries = answer.entries;
      total = answer.total ?? answer.entries.length;
      failure = null;
    } catch (error) {
      if (!tickets.isLatest(ticket)) return;
      failure = error;
    }
    render();
  };

  /** @param {Entry} entry */
  const row = (entry) =>
    h(
      'li',
      { class: 'contact contact-detailed entry', 'data-testid': `entry-${entry.id}` },
      h(
        'button',
        { class: 'contact-button', type: 'button', onclick: () => openEntryDetails(controller, entry) },
        entryBadge(entry.display_name, 'md', entry.book),
        h('span', { class: 'contact-main' }, h('span', { class: 'contact-name' }, entry.display_name), h('span', { class: 'contact-status' }, entrySubtitle(entry))),
      ),
      starButton(controller, entry, `entry-star-${entry.id}`),
    );

  const renderActions = () => {
    const writable = mayWrite(controller.me?.role, book);
    replace(
      actions,
      writable ? h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('phonebook.import'), title: t('phonebook.import'), 'data-testid': 'phonebook-import', onclick: () => openImport(controller, book) }, icon('upload', { size: 22 })) : null,
      h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('phonebook.export'), title: t('phonebook.export'), 'data-testid': 'phonebook-export', onclick: () => exportBook() }, icon('download', { size: 22 })),
      writable ? h('button', { class: 'icon-btn icon-btn-primary', type: 'button', 'aria-label': t(`phonebook.newTitle.${book}`), title: t(`phonebook.newTitle.${book}`), 'data-testid': 'phonebook-add', onclick: () => openEntryForm(controller, book, null) }, icon('plus', { size: 22 })) : null,
    );
  };

  const exportBook = async () => {
    try {
      const blob = await controller.records.exportEntries(book);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `teamline-${book}.vcf`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      toast(errorText(error), { kind: 'error' });
    }
  };

  const render = () => {
    renderActions();
    list.dataset.book = book;
    list.replaceChildren(...(entries ?? []).map(row));
    count.textContent = entries ? String(total) : '';
    const isEmpty = !entries || entries.length === 0;
    empty.hidden = !isEmpty;
    if (!isEmpty) return;
    if (failure) {
      replace(empty, icon('info', { size: 40, class: 'empty-icon' }), h('p', null, errorText(failure)), h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => load() }, t('common.retry')));
    } else if (!entries) {
      replace(empty, h('p', null, t('common.loading')));
    } else if (filter.value.trim()) {
      replace(empty, icon('search', { size: 40, class: 'empty-icon' }), h('p', null, t('phonebook.noMatch', { query: filter.value.trim() })));
    } else {
      replace(empty, icon('book', { size: 40, class: 'empty-icon' }), h('p', null, t(`phonebook.none.${book}`)), mayWrite(controller.me?.role, book) ? h('p', { class: 'muted' }, t('phonebook.noneHint')) : null);
    }
  };

  container.replaceChildren(
    h(
      'section',
      { class: 'page', 'data-testid': 'phonebook' },
      h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('nav.phonebook.title'), count), actions),
      switcher.el,
      h('div', { class: 'filter-bar' }, icon('search', { size: 18, class: 'filter-icon' }), filter),
      list,
      empty,
    ),
  );

  disposer.listen(controller, 'phonebook', (/** @type {CustomEvent} */ event) => {
    const { book: changed, id, entry, deleted } = event.detail ?? {};
    if (changed && changed !== book) return;
    if (entries && entry && !filter.value.trim()) {
      const known = entries.some((e) => e.id === id);
      entries = upsertEntry(entries, entry, getLanguage());
      if (!known) total += 1;
      render();
    } else if (entries && deleted && id) {
      const before = entries.length;
      entries = entries.filter((e) => e.id !== id);
      total -= before - entries.length;
      render();
    } else {
      load();
    }
  });
  disposer.listen(controller, 'favorite', (/** @type {CustomEvent} */ event) => {
    const { kind, id, favorite } = event.detail ?? {};
    if (kind !== 'phonebook-entry' || !entries) return;
    const entry = entries.find((e) => e.id === id);
    if (!entry || entry.favorite === favorite) return;
    entry.favorite = favorite;
    render();
  });
  disposer.listen(controller, 'me', renderActions);
  disposer.add(() => reload.cancel());
  render();
  load();
  return () => disposer.dispose();
}
