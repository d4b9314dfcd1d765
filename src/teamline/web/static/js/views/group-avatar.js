// @ts-check
/** A group's round picture, with its initials until (or unless) a picture exists. */
import { h } from '../dom.js';
import { initials } from '../logic/contacts.js';

/**
 * @param {import('../controller.js').Controller} controller
 * @param {string} groupId
 * @param {string} name
 * @param {'sm' | 'md' | 'lg' | 'xl'} size
 * @returns {HTMLElement}
 */
export function groupAvatar(controller, groupId, name, size) {
  const fallback = h('span', { class: 'avatar-initials', 'aria-hidden': 'true' }, initials(name));
  const img = h('img', { alt: '', hidden: true, draggable: 'false' });
  const el = h('span', { class: `avatar avatar-${size} group-avatar`, 'data-testid': 'group-avatar' }, fallback, img);
  if (controller.groups.get(groupId)?.has_picture) {
    controller.groups.pictureUrl(groupId).then((url) => {
      if (!url) return;
      img.src = url;
      img.hidden = false;
      fallback.hidden = true;
      el.dataset.picture = 'true';
    });
  }
  return el;
}
