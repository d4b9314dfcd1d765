// @ts-check
/** A sheet with a colleague's details: presence, status text, numbers and email. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { openSheet } from '../components/sheet.js';
import { effectiveOf, phoneLabelKey, presenceLabelKey } from '../logic/presence.js';

/**
 * @param {import('../controller.js').Controller} controller
 * @param {import('../logic/contacts.js').Colleague} user
 */
export function openContactDetails(controller, user) {
  const phoneKey = phoneLabelKey(user.presence);
  /** @type {Array<[string, string, string | null]>} label, value, link */
  const rows = [
    [t('contact.extension'), user.extension ?? '', user.extension ? `tel:${user.extension}` : null],
    [t('contact.mobile'), user.mobile_number ?? '', user.mobile_number ? `tel:${user.mobile_number}` : null],
    [t('contact.email'), user.email ?? '', user.email ? `mailto:${user.email}` : null],
  ];
  openSheet({
    title: user.display_name,
    testid: 'contact-details',
    content: [
      h(
        'div',
        { class: 'details-head' },
        avatar(controller, user, { size: 'xl' }),
        h(
          'div',
          { class: 'details-presence', 'data-presence': effectiveOf(user.presence) },
          h('span', { class: 'presence-dot presence-dot-static', 'data-presence': effectiveOf(user.presence) }),
          t(presenceLabelKey(user.presence)),
          phoneKey ? h('span', { class: 'badge badge-phone' }, t(phoneKey)) : null,
        ),
        user.presence?.text ? h('p', { class: 'details-text' }, user.presence.text) : null,
      ),
      h(
        'dl',
        { class: 'details-list' },
        rows
          .filter(([, value]) => value)
          .flatMap(([label, value, link]) => [h('dt', null, label), h('dd', null, link ? h('a', { href: link }, value) : value)]),
      ),
    ],
  });
}
