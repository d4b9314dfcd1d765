// @ts-check
/** "My devices" (FOLLOW-4, PAIR-6): the signed-in and paired devices, unpair, pair a mobile. */
import { Disposer, h, replace } from '../dom.js';
import { getLanguage, t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { confirmSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { relativeTime } from '../logic/time.js';
import { errorText } from './error-text.js';
import { startPairMobile } from './pair-mobile.js';

/**
 * @param {HTMLElement} section
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountDevices(section, controller) {
  const disposer = new Disposer();
  const list = h('ul', { class: 'device-list', 'data-testid': 'device-list', 'aria-busy': 'true' });

  /** @param {import('../controller.js').Device} device */
  const unpair = async (device) => {
    const ok = await confirmSheet({
      title: t('devices.unpair'),
      message: device.current ? t('devices.unpairSelf') : t('devices.unpairConfirm', { name: device.name }),
      confirmLabel: t('devices.unpair'),
      danger: true,
      testid: 'unpair-confirm',
    });
    if (!ok) return;
    try {
      await controller.unpairDevice(device.id);
      toast(t('devices.unpaired', { name: device.name }), { kind: 'success' });
    } catch (err) {
      toast(errorText(err), { kind: 'error' });
    }
  };

  /** @param {import('../controller.js').Device} device */
  const item = (device) => {
    const seen = device.current ? t('devices.thisDevice') : device.last_seen_at ? t('devices.lastSeen', { when: relativeTime(device.last_seen_at, Date.now(), getLanguage()) }) : t('devices.neverSeen');
    return h(
      'li',
      { class: 'device', 'data-testid': `device-${device.id}`, 'data-kind': device.kind, 'data-current': String(device.current) },
      h('span', { class: 'device-icon' }, icon(device.kind === 'mobile' ? 'mobile' : 'monitor', { size: 22 })),
      h(
        'span',
        { class: 'device-text' },
        h('span', { class: 'device-name' }, device.name || t(`devices.kind.${device.kind}`)),
        h('small', { class: device.current ? 'device-current' : 'muted' }, `${t(`devices.kind.${device.kind}`)} · ${seen}`),
      ),
      h(
        'button',
        { class: 'icon-btn device-unpair', type: 'button', title: t('devices.unpair'), 'aria-label': `${t('devices.unpair')}: ${device.name}`, 'data-testid': `device-unpair-${device.id}`, onclick: () => unpair(device) },
        icon('trash', { size: 20 }),
      ),
    );
  };

  const render = () => {
    const devices = controller.devices;
    list.setAttribute('aria-busy', String(devices === null));
    if (devices === null) {
      replace(list, h('li', { class: 'muted device-placeholder' }, t('common.loading')));
    } else {
      const sorted = [...devices].sort((a, b) => Number(b.current) - Number(a.current) || (b.created_at ?? '').localeCompare(a.created_at ?? ''));
      replace(list, sorted.length ? sorted.map(item) : h('li', { class: 'muted device-placeholder' }, t('devices.none')));
    }
  };

  section.append(
    h('p', { class: 'section-hint' }, t('devices.hint')),
    list,
    h('button', { class: 'btn btn-primary btn-block', type: 'button', 'data-testid': 'pair-mobile', onclick: () => startPairMobile(controller) }, icon('qr', { size: 20 }), t('pair.start')),
  );
  render();
  disposer.listen(controller, 'devices', render);
  controller.loadDevices().catch((err) => {
    replace(list, h('li', { class: 'form-error' }, errorText(err)));
  });
  return () => disposer.dispose();
}
