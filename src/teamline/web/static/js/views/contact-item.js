// @ts-check
/** One colleague in the contact list (CONT-5, CONT-8). */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { effectiveOf, phoneLabelKey, presenceLabelKey } from '../logic/presence.js';

/**
 * @param {import('../controller.js').Controller} controller
 * @param {import('../logic/contacts.js').Colleague} user
 * @param {'compact' | 'detailed'} style
 * @param {(user: import('../logic/contacts.js').Colleague) => void} onOpen
 * @returns {HTMLLIElement}
 */
export function contactItem(controller, user, style, onOpen) {
  const effective = effectiveOf(user.presence);
  const phoneKey = phoneLabelKey(user.presence);
  const label = t(presenceLabelKey(user.presence));
  const text = user.presence?.text?.trim();
  return h(
    'li',
    { class: `contact contact-${style}`, 'data-testid': `contact-${user.id}`, 'data-presence': effective },
    h(
      'button',
      { class: 'contact-button', type: 'button', onclick: () => onOpen(user) },
      avatar(controller, user, { size: style === 'compact' ? 'sm' : 'md' }),
      h(
        'span',
        { class: 'contact-main' },
        h('span', { class: 'contact-name' }, user.display_name),
        h(
          'span',
          { class: 'contact-status', 'data-testid': `contact-status-${user.id}` },
          h('span', { class: 'visually-hidden' }, `${label}: `),
          text || label,
        ),
      ),
      h(
        'span',
        { class: 'contact-meta' },
        phoneKey ? h('span', { class: 'badge badge-phone', 'data-phone': user.presence?.phone }, t(phoneKey)) : null,
        user.extension ? h('span', { class: 'contact-ext', 'data-testid': `contact-ext-${user.id}` }, user.extension) : null,
      ),
    ),
  );
}
