// @ts-check
/** Short messages at the bottom of the screen that go away by themselves. */
import { h } from '../dom.js';

/**
 * @param {string} message
 * @param {{kind?: 'info' | 'success' | 'error', testid?: string, ms?: number}} [options]
 */
export function toast(message, { kind = 'info', testid = 'toast', ms = 4000 } = {}) {
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testid, popover: 'manual' }, message);
  document.body.append(el);
  // As a popover the toast shows above open modal sheets too.
  if (typeof el.showPopover === 'function') el.showPopover();
  setTimeout(() => {
    el.classList.add('toast-leaving');
    setTimeout(() => el.remove(), 300);
  }, ms);
}
