// @ts-check
/**
 * One entry of the contact list (CONT-5, CONT-8): a colleague, group, team or favourite phonebook
 * entry with presence, phone state, unread count and the quick actions chat and call.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { effectiveOf, phoneLabelKey, presenceLabelKey } from '../logic/presence.js';
import { groupAvatar } from './group-avatar.js';
import { entryBadge } from './phonebook-entry.js';

/**
 * @typedef {import('../logic/contact-list.js').Entry} Entry
 * @typedef {{open: (entry: Entry) => void, chat: (entry: Entry) => void, call: (entry: Entry) => void}} Actions
 */

/**
 * The test id of an entry: colleagues keep the plain `contact-<id>`.
 * @param {Entry} entry
 */
export function entryTestId(entry) {
  return entry.kind === 'user' ? `contact-${entry.id}` : `contact-${entry.kind}-${entry.id}`;
}

/**
 * What an entry shows; two entries with the same signature render the same.
 * @param {Entry} entry
 * @param {string} style
 */
export function entrySignature(entry, style) {
  const p = entry.presence;
  return [style, entry.title, entry.subtitle, entry.favorite, entry.unread, entry.muted, entry.number, entry.conversation_id,
    p?.effective, p?.text, p?.phone, p?.auto_away, p?.state, entry.user?.avatar_version].join('|');
}

/**
 * @param {import('../controller.js').Controller} controller
 * @param {Entry} entry
 * @param {'compact' | 'detailed'} style
 * @returns {HTMLElement}
 */
export function entryAvatar(controller, entry, style) {
  const size = style === 'compact' ? 'sm' : 'md';
  if (entry.kind === 'user' && entry.user) return avatar(controller, entry.user, { size });
  if (entry.kind === 'group') return groupAvatar(controller, entry.id, entry.title, size);
  if (entry.kind === 'phonebook-entry') {
    const badge = entryBadge(entry.title, 'md', 'company');
    if (size === 'sm') badge.classList.replace('avatar-md', 'avatar-sm');
    return badge;
  }
  return h('span', { class: `avatar avatar-${size} team-badge`, 'aria-hidden': 'true' }, icon('contacts', { size: size === 'sm' ? 18 : 22 }));
}

/**
 * @param {Entry} entry
 * @param {number | undefined} members of a group
 * @returns {string}
 */
function statusLine(entry, members) {
  if (entry.kind === 'user') {
    const label = t(presenceLabelKey(entry.presence));
    return entry.presence?.text?.trim() || label;
  }
  if (entry.kind === 'group') return entry.subtitle || (members ? t('chat.memberCount', { n: members }) : t('contacts.kind.group'));
  if (entry.kind === 'team') return entry.subtitle || t('contacts.kind.team');
  return entry.subtitle || entry.number || t('contacts.kind.phonebook-entry');
}

/**
 * @param {import('../controller.js').Controller} controller
 * @param {Entry} entry
 * @param {'compact' | 'detailed'} style
 * @param {Actions} actions
 * @returns {HTMLLIElement}
 */
export function contactItem(controller, entry, style, actions) {
  const isUser = entry.kind === 'user';
  const effective = isUser ? effectiveOf(entry.presence) : 'none';
  const phoneKey = isUser ? phoneLabelKey(entry.presence) : null;
  const canChat = isUser || (entry.kind === 'group' && Boolean(entry.conversation_id));
  const canCall = Boolean(entry.number) && entry.kind !== 'group';
  const testid = entryTestId(entry);
  const idPart = entry.kind === 'user' ? entry.id : `${entry.kind}-${entry.id}`;
  return h(
    'li',
    { class: `contact contact-${style}`, 'data-testid': testid, 'data-presence': effective, 'data-kind': entry.kind, 'data-favorite': String(entry.favorite) },
    h(
      'button',
      { class: 'contact-button', type: 'button', 'data-testid': 'contact-open', onclick: () => actions.open(entry) },
      entryAvatar(controller, entry, style),
      h(
        'span',
        { class: 'contact-main' },
        h(
          'span',
          { class: 'contact-name' },
          entry.favorite ? h('span', { class: 'fav-mark', title: t('contacts.favorite'), 'data-testid': `contact-fav-${idPart}` }, icon('star', { size: 14, class: 'icon' })) : null,
          entry.title,
        ),
        h(
          'span',
          { class: 'contact-sub' },
          isUser && entry.user?.extension && style === 'detailed' ? h('span', { class: 'contact-ext', 'data-testid': `contact-ext-${entry.id}` }, entry.user.extension) : null,
          h(
            'span',
            { class: 'contact-status', 'data-testid': `contact-status-${idPart}` },
            isUser ? h('span', { class: 'visually-hidden' }, `${t(presenceLabelKey(entry.presence))}: `) : null,
            statusLine(entry, entry.kind === 'group' ? controller.groups.get(entry.id)?.member_ids.length : undefined),
          ),
        ),
      ),
      h(
        'span',
        { class: 'contact-meta' },
        entry.unread > 0
          ? h('span', { class: 'unread-badge', 'data-muted': String(Boolean(entry.muted)), 'data-testid': `contact-unread-${idPart}`, 'aria-label': t('chat.unreadCount', { n: entry.unread }) }, entry.unread > 99 ? '99+' : String(entry.unread))
          : null,
        phoneKey ? h('span', { class: 'badge badge-phone', 'data-phone': entry.presence?.phone }, t(phoneKey)) : null,
      ),
    ),
    h(
      'span',
      { class: 'quick-actions' },
      canChat ? h('button', { class: 'icon-btn action-btn action-chat', type: 'button', 'aria-label': t('contacts.chat', { name: entry.title }), 'data-testid': 'contact-chat', onclick: () => actions.chat(entry) }, icon('chat', { size: 20 })) : null,
      canCall ? h('button', { class: 'icon-btn action-btn action-call', type: 'button', 'aria-label': t('contacts.call', { name: entry.title }), 'data-testid': 'contact-call', onclick: () => actions.call(entry) }, icon('phone', { size: 20 })) : null,
    ),
  );
}
