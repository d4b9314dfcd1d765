// @ts-check
/**
 * The mobile side of pairing (PAIR-3) at /pair: with a code in the fragment it asks for the
 * mobile number and signs in; without one it scans the QR code or takes a pasted link.
 */
import { Disposer, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { extractPairingCode } from '../logic/pairing-code.js';
import { brand } from './brand.js';
import { errorText } from './error-text.js';
import { startQrScanner } from './qr-scanner.js';

/** Errors after which the code is useless and a new one is needed. */
const DEAD_CODE = new Set(['pairing-code-expired', 'pairing-code-used', 'pairing-code-unknown']);

/**
 * @param {HTMLElement} root
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountPairingPage(root, controller) {
  const disposer = new Disposer();
  const card = h('div', { class: 'card form' });
  /** @type {(() => void) | null} */
  let stopCamera = null;

  const render = () => {
    stopCamera?.();
    stopCamera = null;
    const code = extractPairingCode(location.hash);
    if (code) numberStep(code);
    else scanStep();
  };

  /** @param {string} code */
  const useCode = (code) => {
    // Setting the fragment (not the path) keeps the code out of server logs and history noise.
    history.replaceState(null, '', `/pair#${code}`);
    render();
  };

  /** @param {string} code */
  const numberStep = (code) => {
    const number = h('input', { class: 'input', type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: '+49 170 1234567', 'data-testid': 'pair-mobile-number', 'aria-describedby': 'pair-number-hint' });
    const numberError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'pair-number-error', hidden: true });
    const error = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'pair-error', hidden: true });
    const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'pair-submit' }, t('common.continue'));
    const form = h(
      'form',
      {
        class: 'form',
        novalidate: true,
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          submit.disabled = true;
          error.hidden = true;
          numberError.hidden = true;
          try {
            await controller.redeemPairing(code, number.value);
          } catch (err) {
            const e = /** @type {{code?: string, details?: Record<string, unknown>}} */ (err);
            const fieldMessage = e.details?.mobile_number;
            if (e.code === 'invalid-input' && fieldMessage) {
              // The server says what exactly is wrong; it follows our sentence in brackets.
              const why = typeof fieldMessage === 'string' && fieldMessage ? ` (${fieldMessage})` : '';
              numberError.textContent = `${t('pair.numberInvalid')}${why}.`;
              numberError.hidden = false;
              number.focus();
            } else {
              replace(
                error,
                h('span', null, errorText(err)),
                e.code && DEAD_CODE.has(e.code)
                  ? h('button', { class: 'btn btn-secondary btn-small', type: 'button', 'data-testid': 'pair-new-code', onclick: () => { history.replaceState(null, '', '/pair'); render(); } }, t('pair.scanNew'))
                  : null,
              );
              error.hidden = false;
            }
            submit.disabled = false;
          }
        },
      },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('pair.numberLabel')), number),
      h('p', { class: 'field-hint', id: 'pair-number-hint' }, t('pair.numberHint')),
      numberError,
      error,
      submit,
    );
    replace(card, h('h2', { class: 'form-title' }, t('pair.mobileTitle')), h('p', { class: 'muted' }, t('pair.mobileIntro')), form);
    number.focus();
  };

  const scanStep = () => {
    const video = h('video', { class: 'scanner-video', 'data-testid': 'pair-video', hidden: true, playsinline: true, muted: true });
    const status = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'pair-scan-error', hidden: true });
    const scan = h(
      'button',
      {
        class: 'btn btn-primary btn-block',
        type: 'button',
        'data-testid': 'pair-scan',
        onclick: async () => {
          status.hidden = true;
          scan.disabled = true;
          video.hidden = false;
          try {
            stopCamera = await startQrScanner(video, (text) => {
              const code = extractPairingCode(text);
              if (code) useCode(code);
              else {
                status.textContent = t('pair.notACode');
                status.hidden = false;
                video.hidden = true;
                scan.disabled = false;
              }
            });
          } catch {
            video.hidden = true;
            status.textContent = t('pair.cameraFailed');
            status.hidden = false;
            scan.disabled = false;
          }
        },
      },
      icon('camera', { size: 20 }),
      t('pair.scan'),
    );
    const link = h('input', { class: 'input', type: 'text', inputmode: 'url', autocapitalize: 'none', spellcheck: 'false', placeholder: t('pair.linkPlaceholder'), 'data-testid': 'pair-link-input' });
    const linkError = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const linkForm = h(
      'form',
      {
        class: 'form',
        novalidate: true,
        onsubmit: (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          const code = extractPairingCode(link.value);
          if (code) return useCode(code);
          linkError.textContent = t('pair.notACode');
          linkError.hidden = false;
        },
      },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('pair.linkLabel')), link),
      linkError,
      h('button', { class: 'btn btn-secondary btn-block', type: 'submit', 'data-testid': 'pair-link-submit' }, t('common.continue')),
    );
    replace(
      card,
      h('h2', { class: 'form-title' }, t('pair.mobileTitle')),
      h('p', { class: 'muted' }, t('pair.scanIntro')),
      video,
      status,
      scan,
      h('div', { class: 'divider' }, h('span', null, t('common.or'))),
      linkForm,
    );
  };

  root.replaceChildren(
    h('main', { class: 'screen-center', 'data-testid': 'pairing-page' }, brand(), card, h('a', { class: 'link-quiet', href: '/', 'data-testid': 'pair-signin-link' }, t('pair.signInInstead'))),
  );
  disposer.listen(window, 'hashchange', render);
  disposer.add(() => stopCamera?.());
  render();
  return () => disposer.dispose();
}
