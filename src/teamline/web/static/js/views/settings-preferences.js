// @ts-check
/** Language, theme, contact list and presence preferences (SET-2 … SET-5, SET-7). */
import { Disposer, h } from '../dom.js';
import { t } from '../i18n.js';
import { segmented } from '../components/segmented.js';
import { toast } from '../components/toast.js';
import { DEFAULT_SETTINGS } from '../controller.js';
import { errorText } from './error-text.js';

const AUTO_AWAY = [0, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * @param {HTMLElement} section
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountPreferences(section, controller) {
  const disposer = new Disposer();
  const current = () => controller.settings ?? DEFAULT_SETTINGS;

  /** @param {Partial<import('../controller.js').Settings>} patch */
  const save = (patch) => controller.updateSettings(patch).catch((error) => toast(errorText(error), { kind: 'error' }));

  /**
   * @param {string} testid
   * @param {Array<[string, string]>} options value, label
   * @param {(value: string) => void} onChange
   */
  const select = (testid, options, onChange) =>
    h('select', { class: 'select', 'data-testid': testid, onchange: (/** @type {Event} */ e) => onChange(/** @type {HTMLSelectElement} */ (e.target).value) }, options.map(([value, label]) => h('option', { value }, label)));

  const language = select('setting-language', [['de', 'Deutsch'], ['en', 'English']], (value) => save({ language: /** @type {'de' | 'en'} */ (value) }));
  const theme = segmented({
    label: t('settings.theme'),
    testid: 'setting-theme',
    options: ['light', 'dark', 'system'].map((value) => ({ value, label: t(`settings.theme.${value}`) })),
    value: current().theme,
    onChange: (value) => save({ theme: /** @type {'light' | 'dark' | 'system'} */ (value) }),
  });
  const sort = select('setting-contact-sort', ['name', 'status', 'recent'].map((v) => [v, t(`settings.sort.${v}`)]), (value) => save({ contact_sort: /** @type {'name' | 'status' | 'recent'} */ (value) }));
  const style = segmented({
    label: t('settings.listStyle'),
    testid: 'setting-list-style',
    options: ['compact', 'detailed'].map((value) => ({ value, label: t(`settings.listStyle.${value}`) })),
    value: current().list_style,
    onChange: (value) => save({ list_style: /** @type {'compact' | 'detailed'} */ (value) }),
  });
  const autoAway = select('setting-auto-away', [], (value) => save({ auto_away_seconds: Number(value) }));
  const hideSystem = h('input', { type: 'checkbox', role: 'switch', class: 'switch', 'data-testid': 'setting-hide-system-calls', onchange: () => save({ hide_system_calls: hideSystem.checked }) });

  /** @param {number} seconds */
  const autoAwayLabel = (seconds) =>
    seconds === 0 ? t('settings.autoAway.off')
    : seconds % 60 === 0 ? t('settings.autoAway.minutes', { n: seconds / 60 })
    : t('settings.autoAway.seconds', { n: seconds });

  const sync = () => {
    const s = current();
    language.value = s.language;
    theme.set(s.theme);
    sort.value = s.contact_sort;
    style.set(s.list_style);
    const choices = AUTO_AWAY.includes(s.auto_away_seconds) ? AUTO_AWAY : [...AUTO_AWAY, s.auto_away_seconds].sort((a, b) => a - b);
    autoAway.replaceChildren(...choices.map((n) => h('option', { value: String(n) }, autoAwayLabel(n))));
    autoAway.value = String(s.auto_away_seconds);
    hideSystem.checked = s.hide_system_calls;
  };

  /**
   * @param {string} labelKey
   * @param {HTMLElement} control
   * @param {string} [hintKey]
   */
  const row = (labelKey, control, hintKey) =>
    h('label', { class: 'setting-row' }, h('span', { class: 'setting-text' }, h('span', { class: 'setting-label' }, t(labelKey)), hintKey ? h('small', { class: 'setting-hint' }, t(hintKey)) : null), control);

  section.append(
    row('settings.language', language),
    h('div', { class: 'setting-row setting-row-stacked' }, h('span', { class: 'setting-label' }, t('settings.theme')), theme.el),
    row('settings.sort', sort),
    h('div', { class: 'setting-row setting-row-stacked' }, h('span', { class: 'setting-label' }, t('settings.listStyle')), style.el),
    row('settings.autoAway', autoAway, 'settings.autoAway.hint'),
    row('settings.hideSystemCalls', hideSystem, 'settings.hideSystemCalls.hint'),
  );
  sync();
  disposer.listen(controller, 'settings', sync);
  return () => disposer.dispose();
}
