// @ts-check
/** The signed-in app: my profile on top, the current area, the bottom navigation. */
import { h } from '../dom.js';
import { bottomNav } from './bottom-nav.js';
import { mountContacts } from './contacts.js';
import { mountEmptyArea } from './empty-area.js';
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

  /** @type {Area | null} */
  let current = null;
  let unmountArea = () => {};

  /** @param {Area} next */
  const show = (next) => {
    if (next === current) return;
    unmountArea();
    current = next;
    nav.setActive(next);
    main.scrollTop = 0;
    if (next === 'contacts') unmountArea = mountContacts(main, controller);
    else if (next === 'settings') unmountArea = mountSettings(main, controller);
    else unmountArea = mountEmptyArea(main, next);
  };
  show(area);

  return {
    show,
    unmount: () => {
      unmountArea();
      unmountHeader();
    },
  };
}
