// @ts-check
/** The sheet where I pick my presence and status text (CONT-1, CONT-2). */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { openSheet } from '../components/sheet.js';
import { icon } from '../components/icons.js';
import { MANUAL_STATES } from '../logic/presence.js';
import { errorText } from './error-text.js';

const SUGGESTIONS = ['presence.suggest.meeting', 'presence.suggest.lunch', 'presence.suggest.home', 'presence.suggest.travel'];

/** @param {import('../controller.js').Controller} controller */
export function openPresencePicker(controller) {
  const presence = controller.me?.presence;
  let chosen = presence?.state ?? 'available';

  const options = MANUAL_STATES.map((state) =>
    h(
      'button',
      {
        class: 'presence-option',
        type: 'button',
        role: 'radio',
        'data-testid': `presence-option-${state}`,
        'data-state': state,
        onclick: () => select(state),
      },
      h('span', { class: 'presence-dot presence-dot-static', 'data-presence': state === 'away' ? 'away' : state }),
      h('span', { class: 'presence-option-text' }, h('strong', null, t(`presence.${state}`)), h('small', null, t(`presence.${state}.hint`))),
      icon('check', { class: 'presence-check', size: 20 }),
    ),
  );
  /** @param {'available' | 'away' | 'dnd'} state */
  const select = (state) => {
    chosen = state;
    for (const option of options) option.setAttribute('aria-checked', String(option.dataset.state === state));
  };
  select(chosen);

  const text = h('input', { class: 'input', type: 'text', maxlength: 140, 'data-testid': 'presence-text', value: presence?.text ?? '', placeholder: t('presence.textPlaceholder'), 'aria-label': t('presence.text') });
  const clear = h('button', { class: 'icon-btn input-clear', type: 'button', 'aria-label': t('presence.clearText'), onclick: () => { text.value = ''; text.focus(); } }, icon('close', { size: 18 }));
  const chips = SUGGESTIONS.map((key) => h('button', { class: 'chip', type: 'button', onclick: () => { text.value = t(key); } }, t(key)));
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'presence-save' }, t('common.save'));

  const form = h(
    'form',
    {
      class: 'form',
      onsubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          await controller.setPresence(/** @type {'available' | 'away' | 'dnd'} */ (chosen), text.value.trim());
          sheet.close();
        } catch (err) {
          error.textContent = errorText(err);
          error.hidden = false;
          save.disabled = false;
        }
      },
    },
    h('div', { class: 'presence-options', role: 'radiogroup', 'aria-label': t('presence.title') }, options),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('presence.text')), h('span', { class: 'input-wrap' }, text, clear)),
    h('div', { class: 'chips' }, chips),
    error,
    save,
  );
  const sheet = openSheet({ title: t('presence.title'), testid: 'presence-picker', content: form });
}
