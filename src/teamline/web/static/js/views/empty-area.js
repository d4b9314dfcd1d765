// @ts-check
/** The friendly placeholder of areas that arrive in later releases. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';

/** @type {Record<string, import('../components/icons.js').IconName>} */
const ICONS = { telephony: 'phone', journal: 'journal', phonebook: 'book', search: 'search' };

/**
 * @param {HTMLElement} container
 * @param {'telephony' | 'journal' | 'phonebook' | 'search'} area
 * @returns {() => void} unmount
 */
export function mountEmptyArea(container, area) {
  container.replaceChildren(
    h(
      'section',
      { class: 'page', 'data-testid': `area-${area}` },
      h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t(`nav.${area}.title`))),
      h(
        'div',
        { class: 'empty-state', 'data-testid': 'empty-state' },
        h('div', { class: 'empty-badge' }, icon(ICONS[area], { size: 44 })),
        h('h2', null, t(`soon.${area}.title`)),
        h('p', null, t(`soon.${area}.text`)),
        h('span', { class: 'pill' }, t('soon.pill')),
      ),
    ),
  );
  return () => {};
}
