// @ts-check
/** The Teamline mark and name, for the screens before sign-in. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** @returns {HTMLElement} */
export function brand() {
  return h(
    'div',
    { class: 'brand' },
    h('img', { class: 'brand-mark', src: '/static/icons/icon.svg', alt: '', width: 64, height: 64 }),
    h('h1', { class: 'brand-name' }, 'Teamline'),
    h('p', { class: 'brand-tagline' }, t('brand.tagline')),
  );
}
