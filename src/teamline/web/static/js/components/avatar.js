// @ts-check
/** A round avatar with initials until the picture arrives, and an optional presence dot. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { initials } from '../logic/contacts.js';
import { effectiveOf, presenceLabelKey } from '../logic/presence.js';

/**
 * @typedef {import('../controller.js').Controller} Controller
 * @typedef {import('../logic/contacts.js').Colleague} Colleague
 */

/**
 * @param {Controller} controller
 * @param {Colleague} user
 * @param {{size?: 'sm' | 'md' | 'lg' | 'xl', presence?: boolean}} [options]
 * @returns {HTMLElement}
 */
export function avatar(controller, user, { size = 'md', presence = true } = {}) {
  const fallback = h('span', { class: 'avatar-initials', 'aria-hidden': 'true' }, initials(user.display_name));
  const img = h('img', { alt: '', hidden: true, draggable: 'false' });
  const el = h('span', { class: `avatar avatar-${size}` }, fallback, img);
  if (presence) el.append(h('span', { class: 'presence-dot' }));
  setAvatarPresence(el, user);
  controller.avatarUrl(user.id, user.avatar_version ?? 0).then((url) => {
    if (!url) return;
    img.src = url;
    img.hidden = false;
    fallback.hidden = true;
  });
  return el;
}

/**
 * Updates the dot of an avatar made by `avatar()`.
 * @param {HTMLElement} el
 * @param {Colleague} user
 */
export function setAvatarPresence(el, user) {
  const dot = el.querySelector('.presence-dot');
  if (!dot) return;
  dot.setAttribute('data-presence', effectiveOf(user.presence));
  dot.setAttribute('title', t(presenceLabelKey(user.presence)));
}
