// @ts-check
/** The contact list (CONT-4 … CONT-8): colleagues with live presence and a filter field. */
import { Disposer, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { visibleColleagues } from '../logic/contacts.js';
import { contactItem } from './contact-item.js';
import { openContactDetails } from './contact-details.js';

/**
 * @param {HTMLElement} container
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountContacts(container, controller) {
  const disposer = new Disposer();
  /** @type {Map<string, {user: object, style: string, li: HTMLLIElement}>} rows kept while unchanged */
  let rows = new Map();

  const filter = h('input', {
    class: 'input input-search',
    type: 'search',
    enterkeyhint: 'search',
    autocomplete: 'off',
    placeholder: t('contacts.filter'),
    'aria-label': t('contacts.filter'),
    'data-testid': 'contact-filter',
    oninput: () => render(),
  });
  const list = h('ul', { class: 'contact-list', 'data-testid': 'contact-list', 'aria-label': t('contacts.title') });
  const empty = h('div', { class: 'list-empty', 'data-testid': 'contacts-empty', hidden: true });
  const count = h('span', { class: 'page-count', 'data-testid': 'contacts-count' });

  const render = () => {
    const settings = controller.settings;
    const style = settings?.list_style === 'compact' ? 'compact' : 'detailed';
    const visible = visibleColleagues(controller.users.values(), {
      query: filter.value,
      sort: settings?.contact_sort ?? 'name',
      excludeId: controller.me?.id ?? null,
      recent: controller.recent,
    });
    const next = new Map();
    const items = visible.map((user) => {
      const old = rows.get(user.id);
      const li = old && old.user === user && old.style === style ? old.li : contactItem(controller, user, style, (u) => openContactDetails(controller, u));
      next.set(user.id, { user, style, li });
      return li;
    });
    rows = next;
    list.replaceChildren(...items);
    list.dataset.style = style;
    count.textContent = controller.loaded || controller.users.size ? String(visible.length) : '';
    renderEmpty(visible.length === 0);
  };

  /** @param {boolean} isEmpty */
  const renderEmpty = (isEmpty) => {
    empty.hidden = !isEmpty;
    if (!isEmpty) return;
    if (filter.value.trim()) {
      replace(
        empty,
        icon('search', { size: 40, class: 'empty-icon' }),
        h('p', null, t('contacts.noMatch', { query: filter.value.trim() })),
        h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'contacts-clear-filter', onclick: () => { filter.value = ''; render(); filter.focus(); } }, t('contacts.clearFilter')),
      );
    } else {
      replace(empty, icon('contacts', { size: 40, class: 'empty-icon' }), h('p', null, controller.loaded ? t('contacts.none') : t('common.loading')));
    }
  };

  container.replaceChildren(
    h(
      'section',
      { class: 'page', 'data-testid': 'contacts' },
      h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('contacts.title'), count)),
      h('div', { class: 'filter-bar' }, icon('search', { size: 18, class: 'filter-icon' }), filter),
      list,
      empty,
    ),
  );
  for (const type of ['users', 'user', 'me', 'settings']) disposer.listen(controller, type, render);
  render();
  return () => disposer.dispose();
}
