// @ts-check
/** My own profile at the top (CONT-1): avatar, name, presence; a tap opens the picker. */
import { Disposer, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { effectiveOf, presenceLabelKey } from '../logic/presence.js';
import { openPresencePicker } from './presence-picker.js';

/**
 * @param {HTMLElement} header
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountProfileHeader(header, controller) {
  const disposer = new Disposer();
  const connection = h('span', { class: 'connection-chip', 'data-testid': 'connection-state', role: 'status' });

  const renderConnection = () => {
    const state = controller.connection;
    connection.dataset.state = state;
    connection.hidden = state === 'online';
    replace(connection, state === 'offline' ? icon('wifiOff', { size: 16 }) : null, t(`connection.${state}`));
  };

  const render = () => {
    const me = controller.me;
    const profile = me
      ? h(
          'button',
          { class: 'profile-button', type: 'button', 'data-testid': 'my-profile', 'data-presence': effectiveOf(me.presence), 'aria-haspopup': 'dialog', 'aria-label': t('presence.change'), onclick: () => openPresencePicker(controller) },
          avatar(controller, me, { size: 'md' }),
          h(
            'span',
            { class: 'profile-text' },
            h('span', { class: 'profile-name', 'data-testid': 'my-name' }, me.display_name),
            h('span', { class: 'profile-status', 'data-testid': 'my-status' }, me.presence?.text || t(presenceLabelKey(me.presence))),
          ),
        )
      : h('span', { class: 'profile-button profile-loading' }, h('span', { class: 'avatar avatar-md skeleton' }), h('span', { class: 'skeleton skeleton-line' }));
    replace(header, h('div', { class: 'profile-wrap' }, profile, unread), connection);
  };

  // The unread total on my avatar (CHAT-3); a tap shows the contacts with unread messages (CONT-9).
  const unread = h('button', { class: 'avatar-unread', type: 'button', 'data-testid': 'my-unread', hidden: true, onclick: () => controller.chat.showUnread() });
  const renderUnread = () => {
    const n = controller.chat.unreadTotal;
    unread.hidden = n === 0;
    unread.textContent = n > 99 ? '99+' : String(n);
    unread.setAttribute('aria-label', t('chat.showUnread', { n }));
  };

  disposer.listen(controller, 'me', render);
  disposer.listen(controller, 'connection', renderConnection);
  disposer.listen(controller, 'unread', renderUnread);
  render();
  renderUnread();
  renderConnection();
  return () => disposer.dispose();
}
