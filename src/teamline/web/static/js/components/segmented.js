// @ts-check
/** A segmented control: a row of radio buttons styled as one switch. */
import { h } from '../dom.js';

let counter = 0;

/**
 * @param {{label: string, testid: string, options: Array<{value: string, label: string}>,
 *   value: string, onChange: (value: string) => void}} options
 * @returns {{el: HTMLElement, set: (value: string) => void}}
 */
export function segmented({ label, testid, options, value, onChange }) {
  const name = `segmented-${++counter}`;
  const inputs = options.map((option) =>
    h('input', {
      type: 'radio',
      name,
      value: option.value,
      checked: option.value === value,
      'data-testid': `${testid}-${option.value}`,
      onchange: () => onChange(option.value),
    }),
  );
  const el = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-label': label, 'data-testid': testid },
    options.map((option, i) => h('label', { class: 'segment' }, inputs[i], h('span', null, option.label))),
  );
  return {
    el,
    set: (next) => {
      for (const input of inputs) input.checked = input.value === next;
    },
  };
}
