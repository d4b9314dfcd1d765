// @ts-check
/** The settings area (SET): profile picture, preferences, password, devices, sign-out. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { confirmSheet } from '../components/sheet.js';
import { mountAvatarSettings } from './settings-avatar.js';
import { mountPreferences } from './settings-preferences.js';
import { mountPasswordSettings } from './settings-password.js';
import { mountDevices } from './devices.js';

/**
 * @param {HTMLElement} container
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountSettings(container, controller) {
  /**
   * @param {string} titleKey
   * @param {string} testid
   */
  const section = (titleKey, testid) => h('section', { class: 'card settings-section', 'data-testid': testid, 'aria-label': t(titleKey) }, h('h2', { class: 'section-title' }, t(titleKey)));

  const profile = section('settings.profile', 'settings-profile');
  const preferences = section('settings.preferences', 'settings-preferences');
  const security = section('settings.security', 'settings-security');
  const devices = section('devices.title', 'settings-devices');

  const signOut = h(
    'button',
    {
      class: 'btn btn-danger-quiet btn-block',
      type: 'button',
      'data-testid': 'sign-out',
      onclick: async () => {
        const ok = await confirmSheet({ title: t('settings.signOut'), message: t('settings.signOutConfirm'), confirmLabel: t('settings.signOut'), testid: 'sign-out-confirm' });
        if (ok) await controller.signOut();
      },
    },
    icon('logout', { size: 20 }),
    t('settings.signOut'),
  );

  container.replaceChildren(
    h('div', { class: 'page', 'data-testid': 'settings' }, h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('nav.settings.title'))), profile, preferences, devices, security, signOut, h('p', { class: 'version-note' }, 'Teamline')),
  );
  const unmounts = [
    mountAvatarSettings(profile, controller),
    mountPreferences(preferences, controller),
    mountDevices(devices, controller),
    mountPasswordSettings(security, controller),
  ];
  return () => unmounts.forEach((unmount) => unmount());
}
