// @ts-check
/** Sign-in with login and password (PAIR-7). */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { brand } from './brand.js';
import { errorText } from './error-text.js';

/**
 * @param {HTMLElement} root
 * @param {import('../controller.js').Controller} controller
 * @param {{notice?: string | null}} [options] a message to show above the form, e.g. after unpairing
 * @returns {() => void} unmount
 */
export function mountSignIn(root, controller, { notice = null } = {}) {
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let countdown;
  const login = h('input', { id: 'signin-login', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, 'data-testid': 'signin-login' });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'signin-password' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'signin-error', hidden: true });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'signin-submit' }, t('signin.submit'));

  /** @param {string} text */
  const showError = (text) => {
    error.textContent = text;
    error.hidden = false;
  };

  /** @param {number} seconds */
  const lockFor = (seconds) => {
    clearInterval(countdown);
    let left = seconds;
    submit.disabled = true;
    const tick = () => {
      if (left <= 0) {
        clearInterval(countdown);
        submit.disabled = false;
        error.hidden = true;
        return;
      }
      showError(t('error.too-many-attempts', { seconds: left }));
      left -= 1;
    };
    tick();
    countdown = setInterval(tick, 1000);
  };

  const form = h(
    'form',
    {
      class: 'card form',
      novalidate: true,
      onsubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        if (!login.value.trim() || !password.value) {
          showError(t('signin.missing'));
          return;
        }
        submit.disabled = true;
        error.hidden = true;
        try {
          await controller.signIn(login.value.trim(), password.value);
        } catch (err) {
          const retryAfter = /** @type {{code?: string, retryAfter?: number}} */ (err).retryAfter;
          if (/** @type {{code?: string}} */ (err).code === 'too-many-attempts' && retryAfter) {
            lockFor(retryAfter);
            return;
          }
          showError(errorText(err));
          password.select();
        }
        submit.disabled = false;
      },
    },
    h('h2', { class: 'form-title' }, t('signin.title')),
    notice ? h('p', { class: 'notice', role: 'status', 'data-testid': 'signin-notice' }, notice) : null,
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('signin.login')), login),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('signin.password')), password),
    error,
    submit,
  );

  const screen = h(
    'main',
    { class: 'screen-center', 'data-testid': 'signin' },
    brand(),
    form,
    h('a', { class: 'link-quiet', href: '/pair', 'data-testid': 'signin-pair-link' }, t('signin.pairInstead')),
  );
  root.replaceChildren(screen);
  login.focus();
  return () => clearInterval(countdown);
}
