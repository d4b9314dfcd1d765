// @ts-check
/** Changing my password (SET-6); directory users get a clear "managed elsewhere" answer. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { errorText } from './error-text.js';

const MIN_LENGTH = 8;

/**
 * @param {HTMLElement} section
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountPasswordSettings(section, controller) {
  section.append(
    h(
      'button',
      { class: 'setting-link', type: 'button', 'data-testid': 'change-password', onclick: () => openPasswordSheet(controller) },
      icon('lock', { size: 20 }),
      h('span', null, t('password.change')),
      icon('chevron', { size: 18, class: 'icon chevron' }),
    ),
  );
  return () => {};
}

/** @param {import('../controller.js').Controller} controller */
function openPasswordSheet(controller) {
  if (controller.me?.directory_user) {
    openSheet({ title: t('password.change'), testid: 'password-sheet', content: h('p', { class: 'notice', 'data-testid': 'password-error' }, t('error.password-managed-externally')) });
    return;
  }
  /** @param {string} testid @param {string} autocomplete */
  const input = (testid, autocomplete) => h('input', { class: 'input', type: 'password', autocomplete, required: true, 'data-testid': testid });
  const current = input('password-current', 'current-password');
  const next = input('password-new', 'new-password');
  const repeat = input('password-repeat', 'new-password');
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'password-error', hidden: true });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'password-submit' }, t('password.submit'));
  /** @param {string} text */
  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
  };
  /** @param {string} label @param {HTMLInputElement} control */
  const field = (label, control) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control);

  const form = h(
    'form',
    {
      class: 'form',
      novalidate: true,
      onsubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        if (next.value.length < MIN_LENGTH) return fail(t('password.tooShort', { n: MIN_LENGTH }));
        if (next.value !== repeat.value) return fail(t('password.mismatch'));
        submit.disabled = true;
        try {
          await controller.changePassword(current.value, next.value);
          sheet.close();
          toast(t('password.changed'), { kind: 'success' });
        } catch (err) {
          fail(/** @type {{code?: string}} */ (err).code === 'invalid-credentials' ? t('password.wrongCurrent') : errorText(err));
          submit.disabled = false;
        }
      },
    },
    field(t('password.current'), current),
    field(t('password.new'), next),
    field(t('password.repeat'), repeat),
    h('p', { class: 'field-hint' }, t('password.rule', { n: MIN_LENGTH })),
    error,
    submit,
  );
  const sheet = openSheet({ title: t('password.change'), testid: 'password-sheet', content: form });
  current.focus();
}
