// @ts-check
/** The signed-in app: my profile on top, the current area, the bottom navigation. */
import { h } from '../dom.js';
import { bottomNav } from './bottom-nav.js';
import { mountContacts } from './contacts.js';
import { mountChat } from './chat.js';
import { showIncoming } from './chat-notice.js';
import { chatIdFromLocation } from './routes.js';
import { mountEmptyArea } from './empty-area.js';
import { mountJournal } from './journal.js';
import { mountPhonebook } from './phonebook.js';
import { mountSearch } from './search.js';
import { t } from '../i18n.js';
import { mountProfileHeader } from './profile-header.js';
import { mountSettings } from './settings.js';

/** @typedef {import('./bottom-nav.js').Area} Area */

/**
 * @param {HTMLElement} root
 * @param {import('../controller.js').Controller} controller
 * @param {{area: Area, navigate: (area: Area) => void}} options
 * @returns {{show: (area: Area) => void, unmount: () => void}}
 */
export function mountShell(root, controller, { area, navigate }) {
  const header = h('header', { class: 'app-header' });
  const main = h('main', { class: 'app-main', id: 'main' });
  const nav = bottomNav(area, navigate);
  root.replaceChildren(h('div', { class: 'app-shell', 'data-testid': 'app' }, header, main, nav.el));
  const unmountHeader = mountProfileHeader(header, controller);

  // The missed-calls badge on the journal (JRNL-5), until the journal is opened.
  const missed = h('span', { class: 'nav-badge', 'data-testid': 'journal-missed-badge', hidden: true });
  nav.el.querySelector('[data-area="journal"]')?.append(missed);
  const showMissed = () => {
    const n = controller.records.missedUnseen;
    missed.hidden = n === 0;
    missed.textContent = n > 99 ? '99+' : String(n);
    missed.setAttribute('aria-label', t('journal.missedBadge', { n }));
  };
  controller.addEventListener('journal-missed', showMissed);
  showMissed();

  // Unread messages on the contacts tab and on my avatar (CHAT-3).
  // The number is drawn by CSS (data-count): the tab's text stays its name.
  const unread = h('span', { class: 'nav-badge nav-badge-count', 'data-testid': 'contacts-unread-badge', hidden: true });
  nav.el.querySelector('[data-area="contacts"]')?.append(unread);
  const showUnread = () => {
    const n = controller.chat.unreadTotal;
    unread.hidden = n === 0;
    unread.dataset.count = n > 99 ? '99+' : String(n);
    unread.setAttribute('aria-label', t('chat.unreadTotal', { n }));
  };
  controller.addEventListener('unread', showUnread);
  showUnread();
  // A tap on the total on my avatar shows the contacts with unread messages (CONT-9).
  const showFiltered = () => navigate('contacts');
  controller.addEventListener('contact-filter', showFiltered);
  // New messages elsewhere show as a banner while the app is in front (CHAT-4).
  const notify = (/** @type {Event} */ event) => showIncoming(controller, /** @type {CustomEvent} */ (event).detail);
  controller.addEventListener('incoming', notify);

  /** @type {string | null} the area, or "chat:<id>" for a conversation */
  let current = null;
  let unmountArea = () => {};

  /** @param {Area} next */
  const show = (next) => {
    const chatId = chatIdFromLocation();
    const key = chatId ? `chat:${chatId}` : next;
    if (key === current) return;
    unmountArea();
    current = key;
    nav.setActive(chatId ? 'contacts' : next);
    main.scrollTop = 0;
    root.querySelector('.app-shell')?.toggleAttribute('data-chat', Boolean(chatId));
    if (chatId) unmountArea = mountChat(main, controller, chatId);
    else if (next === 'contacts') unmountArea = mountContacts(main, controller);
    else if (next === 'settings') unmountArea = mountSettings(main, controller);
    else if (next === 'phonebook') unmountArea = mountPhonebook(main, controller);
    else if (next === 'journal') unmountArea = mountJournal(main, controller);
    else if (next === 'search') unmountArea = mountSearch(main, controller);
    else unmountArea = mountEmptyArea(main, next);
  };
  show(area);

  return {
    show,
    unmount: () => {
      unmountArea();
      unmountHeader();
      controller.removeEventListener('journal-missed', showMissed);
      controller.removeEventListener('unread', showUnread);
      controller.removeEventListener('contact-filter', showFiltered);
      controller.removeEventListener('incoming', notify);
    },
  };
}
