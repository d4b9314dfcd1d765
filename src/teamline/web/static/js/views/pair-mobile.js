// @ts-check
/**
 * Pairing my mobile from here (PAIR-1, PAIR-2): ask for the password again, then show the QR
 * code, the link, the instructions and how long the code stays valid. The code renews itself
 * when it expires; a `device.paired` event closes the sheet with a success message.
 */
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { formatCountdown, remainingMs } from '../logic/countdown.js';
import { errorText } from './error-text.js';

/** @param {import('../controller.js').Controller} controller */
export function startPairMobile(controller) {
  if (controller.me?.permissions && !controller.me.permissions.may_pair_self) {
    openSheet({ title: t('pair.title'), testid: 'pair-sheet', content: notAllowed() });
    return;
  }
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;
  /** @type {string | null} */
  let qrUrl = null;
  let closed = false;

  const stopQr = () => {
    clearInterval(ticker);
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    qrUrl = null;
  };

  /** @param {Event} event */
  const onPaired = (event) => {
    const device = /** @type {CustomEvent<{name?: string}>} */ (event).detail;
    sheet.close();
    toast(t('pair.success', { name: device?.name ?? t('devices.kind.mobile') }), { kind: 'success', testid: 'pair-success' });
  };
  controller.addEventListener('device-paired', onPaired);

  const sheet = openSheet({
    title: t('pair.title'),
    testid: 'pair-sheet',
    content: [],
    onClose: () => {
      closed = true;
      stopQr();
      controller.removeEventListener('device-paired', onPaired);
    },
  });

  /** @param {string | null} [notice] */
  const askPassword = (notice = null) => {
    stopQr();
    const password = h('input', { class: 'input', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'pair-password' });
    const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'pair-error', hidden: true });
    const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'pair-continue' }, t('common.continue'));
    const form = h(
      'form',
      {
        class: 'form',
        novalidate: true,
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          if (!password.value) return;
          submit.disabled = true;
          error.hidden = true;
          try {
            showQr(await controller.startPairing(password.value));
          } catch (err) {
            if (/** @type {{code?: string}} */ (err).code === 'forbidden') {
              replace(sheet.body, notAllowed());
              return;
            }
            error.textContent = /** @type {{code?: string}} */ (err).code === 'invalid-credentials' ? t('pair.wrongPassword') : errorText(err);
            error.hidden = false;
            submit.disabled = false;
            password.select();
          }
        },
      },
      notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
      h('p', { class: 'sheet-text' }, t('pair.passwordIntro')),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('signin.password')), password),
      error,
      submit,
    );
    replace(sheet.body, form);
    password.focus();
  };

  /** @param {import('../controller.js').Pairing} pairing */
  const showQr = (pairing) => {
    stopQr();
    const image = h('img', { class: 'qr-image', alt: t('pair.qrAlt'), 'data-testid': 'pairing-qr', width: 220, height: 220 });
    const countdown = h('span', { class: 'countdown', 'data-testid': 'pairing-countdown', 'aria-live': 'off' });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const regenerate = h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'pairing-regenerate', onclick: () => renew() }, icon('refresh', { size: 18 }), t('pair.regenerate'));
    const copy = h(
      'button',
      {
        class: 'btn btn-secondary',
        type: 'button',
        'data-testid': 'pairing-copy',
        onclick: () => navigator.clipboard?.writeText(pairing.url).then(() => toast(t('pair.copied')), () => {}),
      },
      icon('link', { size: 18 }),
      t('pair.copy'),
    );

    const renew = async () => {
      regenerate.disabled = true;
      try {
        const next = await controller.regeneratePairing(pairing.id);
        if (!closed) showQr(next);
      } catch (err) {
        if (closed) return;
        if (/** @type {{code?: string}} */ (err).code === 'password-required') {
          askPassword(t('pair.passwordAgain'));
          return;
        }
        clearInterval(ticker);
        error.textContent = errorText(err);
        error.hidden = false;
        regenerate.disabled = false;
      }
    };

    const shownAt = Date.now();
    const tick = () => {
      const left = remainingMs(pairing.expires_at, controller.serverNow());
      countdown.textContent = t('pair.validFor', { time: formatCountdown(left) });
      if (left > 0) return;
      clearInterval(ticker);
      if (Date.now() - shownAt > 10_000) {
        renew(); // PAIR-2: an expired code is replaced by itself
      } else {
        // Expired as soon as shown (clocks far apart): no endless renewing, a tap renews.
        error.textContent = t('pair.expiredHere');
        error.hidden = false;
      }
    };

    replace(
      sheet.body,
      h(
        'div',
        { class: 'pair-view', 'data-testid': 'pairing-view', 'data-pairing-id': pairing.id },
        h('div', { class: 'qr-frame' }, image),
        countdown,
        h(
          'ol',
          { class: 'steps' },
          h('li', null, t('pair.step1')),
          h('li', null, t('pair.step2')),
          h('li', null, t('pair.step3')),
        ),
        h('p', { class: 'pair-link-label' }, t('pair.orOpenLink')),
        h('a', { class: 'pair-link', href: pairing.url, target: '_blank', rel: 'noopener', 'data-testid': 'pairing-url' }, pairing.url),
        error,
        h('div', { class: 'button-row' }, copy, regenerate),
      ),
    );
    tick();
    ticker = setInterval(tick, 1000);
    controller.pairingQrUrl(pairing.id).then(
      (url) => {
        if (closed || !image.isConnected) return URL.revokeObjectURL(url);
        qrUrl = url;
        image.src = url;
      },
      (err) => {
        error.textContent = errorText(err);
        error.hidden = false;
      },
    );
  };

  askPassword();
}

/** @returns {HTMLElement} */
function notAllowed() {
  return h('div', { class: 'notice-block', 'data-testid': 'pair-not-allowed' }, icon('info', { size: 28 }), h('p', null, t('pair.notAllowed')));
}
