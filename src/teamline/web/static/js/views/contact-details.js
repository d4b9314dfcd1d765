// @ts-check
/**
 * A sheet with a colleague's details: presence, status text, numbers and email; chat, call and
 * the favourite star (CONT-4, CONT-5).
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { effectiveOf, phoneLabelKey, presenceLabelKey } from '../logic/presence.js';
import { errorText } from './error-text.js';
import { openChatScreen } from './routes.js';
import { callNumber } from './search-actions.js';

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
  const isMe = user.id === controller.me?.id;
  let favorite = Boolean(controller.chat.contacts?.find((c) => c.kind === 'user' && c.id === user.id)?.favorite);
  const star = h('button', {
    class: 'icon-btn star-btn',
    type: 'button',
    'data-testid': 'contact-star',
    onclick: async () => {
      const next = !favorite;
      setStar(next);
      try {
        await controller.chat.setFavorite('user', user.id, next);
      } catch (error) {
        setStar(!next);
        toast(errorText(error), { kind: 'error' });
      }
    },
  }, icon('star', { size: 22 }));
  /** @param {boolean} value */
  const setStar = (value) => {
    favorite = value;
    star.setAttribute('aria-pressed', String(value));
    star.setAttribute('aria-label', value ? t('contacts.unstar') : t('contacts.star'));
  };
  setStar(favorite);

  const sheet = openSheet({
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
          isMe ? null : star,
        ),
        user.presence?.text ? h('p', { class: 'details-text' }, user.presence.text) : null,
      ),
      isMe
        ? null
        : h(
          'div',
          { class: 'button-row' },
          h('button', {
            class: 'btn btn-primary',
            type: 'button',
            'data-testid': 'contact-details-chat',
            onclick: async () => {
              try {
                const id = await controller.chat.openDirect(user.id);
                sheet.close();
                openChatScreen(id);
              } catch (error) {
                toast(errorText(error), { kind: 'error' });
              }
            },
          }, icon('chat', { size: 18 }), t('contacts.chatAction')),
          user.extension || user.mobile_number
            ? h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'contact-details-call', onclick: () => callNumber(user.extension || user.mobile_number) }, icon('phone', { size: 18 }), t('call.call'))
            : null,
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
