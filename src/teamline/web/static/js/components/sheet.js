// @ts-check
/**
 * Bottom sheets on a modal <dialog>: they rise from the bottom on phones (where the thumb is)
 * and sit centred on wide screens. Esc, the close button and a tap on the backdrop close them.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from './icons.js';

let counter = 0;

/**
 * @param {{title: string, testid: string, content: Node | Node[], onClose?: () => void}} options
 * @returns {{dialog: HTMLDialogElement, body: HTMLElement, close: () => void}}
 */
export function openSheet({ title, testid, content, onClose }) {
  const titleId = `sheet-title-${++counter}`;
  const body = h('div', { class: 'sheet-body' }, content);
  const dialog = h(
    'dialog',
    { class: 'sheet', 'data-testid': testid, 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'sheet-panel' },
      h('div', { class: 'sheet-grip', 'aria-hidden': 'true' }),
      h(
        'header',
        { class: 'sheet-header' },
        h('h2', { id: titleId }, title),
        h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('common.close'), 'data-testid': `${testid}-close`, onclick: () => close() }, icon('close')),
      ),
      body,
    ),
  );
  const close = () => {
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) close(); // the backdrop: the panel fills the dialog otherwise
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, body, close };
}

/**
 * Asks a yes/no question in a sheet.
 * @param {{title: string, message: string, confirmLabel: string, danger?: boolean, testid?: string}} options
 * @returns {Promise<boolean>}
 */
export function confirmSheet({ title, message, confirmLabel, danger = false, testid = 'confirm' }) {
  return new Promise((resolve) => {
    let answer = false;
    const sheet = openSheet({
      title,
      testid,
      onClose: () => resolve(answer),
      content: [
        h('p', { class: 'sheet-text' }, message),
        h(
          'div',
          { class: 'button-row' },
          h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': `${testid}-cancel`, onclick: () => sheet.close() }, t('common.cancel')),
          h(
            'button',
            {
              class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`,
              type: 'button',
              'data-testid': `${testid}-ok`,
              onclick: () => {
                answer = true;
                sheet.close();
              },
            },
            confirmLabel,
          ),
        ),
      ],
    });
  });
}
