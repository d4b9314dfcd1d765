// @ts-check
/**
 * The contact list (CONT-4 … CONT-9): colleagues, groups, teams and favourite phonebook entries
 * with live presence and unread counts, favourites on top, a filter field, smart filters, the
 * sort order and list style from the settings, and the quick actions chat and call.
 */
import { Disposer, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { toast } from '../components/toast.js';
import { SMART_FILTERS, buildEntries, filterCounts, visibleEntries } from '../logic/contact-list.js';
import { contactItem, entrySignature } from './contact-item.js';
import { openContactDetails } from './contact-details.js';
import { errorText } from './error-text.js';
import { openGroupForm } from './group-sheets.js';
import { openEntryDetails } from './phonebook-entry.js';
import { openChatScreen } from './routes.js';
import { callNumber } from './search-actions.js';

/**
 * @typedef {import('../logic/contact-list.js').Entry} Entry
 * @typedef {import('../logic/contact-list.js').SmartFilter} SmartFilter
 * @typedef {import('../controller.js').Controller} Controller
 */

/**
 * Opens the chat with a colleague or group (CHAT-1, GRP-4).
 * @param {Controller} controller
 * @param {Entry} entry
 */
export async function chatWith(controller, entry) {
  try {
    const id = entry.kind === 'user' ? await controller.chat.openDirect(entry.id) : entry.conversation_id;
    if (id) openChatScreen(id);
  } catch (error) {
    toast(errorText(error), { kind: 'error' });
  }
}

/**
 * @param {HTMLElement} container
 * @param {Controller} controller
 * @returns {() => void} unmount
 */
export function mountContacts(container, controller) {
  const disposer = new Disposer();
  /** @type {Map<string, {signature: string, li: HTMLElement}>} rows kept while unchanged */
  let rows = new Map();

  /** @type {import('./contact-item.js').Actions} */
  const actions = {
    open: (entry) => open(entry),
    chat: (entry) => chatWith(controller, entry),
    call: (entry) => callNumber(entry.number),
  };

  /** @param {Entry} entry */
  const open = async (entry) => {
    if (entry.kind === 'user' && entry.user) {
      openContactDetails(controller, entry.user);
    } else if (entry.kind === 'group') {
      chatWith(controller, entry);
    } else if (entry.kind === 'phonebook-entry') {
      try {
        const found = (await controller.records.getEntry('company', entry.id, entry.title).catch(() => null))
          ?? (await controller.records.getEntry('private', entry.id, entry.title));
        if (found) openEntryDetails(controller, found);
      } catch (error) {
        toast(errorText(error), { kind: 'error' });
      }
    }
  };

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
  const chips = new Map(
    SMART_FILTERS.map((name) => [
      name,
      h('button', {
        class: 'chip filter-chip',
        type: 'button',
        'data-testid': `contact-smart-${name}`,
        'aria-pressed': 'false',
        onclick: () => setFilter(controller.chat.filter === name && name !== 'all' ? 'all' : name),
      }),
    ]),
  );
  const list = h('ul', { class: 'contact-list', 'data-testid': 'contact-list', 'aria-label': t('contacts.title') });
  const empty = h('div', { class: 'list-empty', 'data-testid': 'contacts-empty', hidden: true });
  const count = h('span', { class: 'page-count', 'data-testid': 'contacts-count' });

  /** @param {SmartFilter} name */
  const setFilter = (name) => {
    controller.chat.filter = name;
    render();
  };

  const clearFilters = () => {
    filter.value = '';
    controller.chat.filter = 'all';
    render();
    filter.focus();
  };

  let scheduled = false;
  /** Several events in a row (a message, its unread count, its activity) cause one render. */
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      render();
    });
  };

  const render = () => {
    const settings = controller.settings;
    const style = settings?.list_style === 'compact' ? 'compact' : 'detailed';
    const smart = controller.chat.filter;
    const entries = buildEntries({
      users: controller.users.values(),
      contacts: controller.chat.contacts,
      meId: controller.me?.id ?? null,
      conversations: controller.chat.conversations,
      directs: controller.chat.directs,
    });
    const visible = visibleEntries(entries, { query: filter.value, filter: smart, sort: settings?.contact_sort ?? 'name' });
    const counts = filterCounts(entries);
    for (const [name, chip] of chips) {
      chip.setAttribute('aria-pressed', String(name === smart));
      replace(chip, t(`contacts.smart.${name}`), name === 'unread' && counts.unread ? h('span', { class: 'chip-count' }, String(counts.unread)) : null);
    }
    const next = new Map();
    const items = visible.map((entry) => {
      const key = `${entry.kind}:${entry.id}`;
      const group = entry.kind === 'group' ? controller.groups.get(entry.id) : undefined;
      const signature = `${entrySignature(entry, style)}|${controller.groups.pictureVersion(entry.id)}|${group?.member_ids.length}|${group?.has_picture}`;
      const old = rows.get(key);
      const li = old && old.signature === signature ? old.li : contactItem(controller, entry, style, actions);
      next.set(key, { signature, li });
      return li;
    });
    rows = next;
    list.replaceChildren(...items);
    list.dataset.style = style;
    list.dataset.filter = smart;
    list.dataset.sort = settings?.contact_sort ?? 'name';
    count.textContent = controller.loaded || controller.users.size ? String(visible.length) : '';
    renderEmpty(visible.length === 0, smart);
  };

  /**
   * @param {boolean} isEmpty
   * @param {SmartFilter} smart
   */
  const renderEmpty = (isEmpty, smart) => {
    empty.hidden = !isEmpty;
    if (!isEmpty) return;
    const query = filter.value.trim();
    if (query || smart !== 'all') {
      replace(
        empty,
        icon('search', { size: 40, class: 'empty-icon' }),
        h('p', null, query ? t('contacts.noMatch', { query }) : t(`contacts.smartEmpty.${smart}`)),
        h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'contacts-clear-filter', onclick: clearFilters }, t('contacts.clearFilter')),
      );
    } else {
      replace(empty, icon('contacts', { size: 40, class: 'empty-icon' }), h('p', null, controller.loaded ? t('contacts.none') : t('common.loading')));
    }
  };

  container.replaceChildren(
    h(
      'section',
      { class: 'page', 'data-testid': 'contacts' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', { class: 'page-title' }, t('contacts.title'), count),
        h(
          'div',
          { class: 'page-actions' },
          h('button', { class: 'icon-btn icon-btn-primary', type: 'button', 'aria-label': t('group.new'), title: t('group.new'), 'data-testid': 'group-new', onclick: () => openGroupForm(controller) }, icon('plus', { size: 22 })),
        ),
      ),
      h('div', { class: 'filter-bar' }, icon('search', { size: 18, class: 'filter-icon' }), filter),
      h('div', { class: 'chips filter-chips', role: 'group', 'aria-label': t('contacts.smart.label') }, [...chips.values()]),
      list,
      empty,
    ),
  );
  for (const type of ['users', 'user', 'me', 'settings', 'contacts', 'unread', 'groups']) disposer.listen(controller, type, schedule);
  disposer.listen(controller, 'contact-filter', () => {
    render();
    chips.get(controller.chat.filter)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
  render();
  return () => disposer.dispose();
}
