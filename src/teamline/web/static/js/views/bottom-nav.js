// @ts-check
/** The bottom navigation between the six areas, within reach of the thumb. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';

/** @typedef {'contacts' | 'telephony' | 'journal' | 'phonebook' | 'search' | 'settings'} Area */

/** @type {ReadonlyArray<[Area, import('../components/icons.js').IconName]>} */
export const AREAS = [
  ['contacts', 'contacts'],
  ['telephony', 'phone'],
  ['journal', 'journal'],
  ['phonebook', 'book'],
  ['search', 'search'],
  ['settings', 'settings'],
];

/**
 * @param {Area} active
 * @param {(area: Area) => void} navigate
 * @returns {{el: HTMLElement, setActive: (area: Area) => void}}
 */
export function bottomNav(active, navigate) {
  const links = AREAS.map(([area, iconName]) =>
    h(
      'a',
      {
        class: 'nav-item',
        href: `/${area}`,
        'data-testid': `nav-${area}`,
        'data-area': area,
        onclick: (/** @type {MouseEvent} */ event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          navigate(area);
        },
      },
      icon(iconName, { class: 'nav-icon' }),
      h('span', { class: 'nav-label' }, t(`nav.${area}`)),
    ),
  );
  const el = h('nav', { class: 'bottom-nav', 'aria-label': t('nav.label') }, links);
  /** @param {Area} area */
  const setActive = (area) => {
    for (const link of links) {
      if (link.dataset.area === area) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };
  setActive(active);
  return { el, setActive };
}
