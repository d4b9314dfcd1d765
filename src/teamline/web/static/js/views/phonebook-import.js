// @ts-check
/** Importing a vCard or CSV file into a phonebook (BOOK-1, BOOK-2), with a summary afterwards. */
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { openSheet } from '../components/sheet.js';
import { importContentType } from '../logic/phonebook.js';
import { errorText } from './error-text.js';

/**
 * @param {import('../controller.js').Controller} controller
 * @param {import('../logic/phonebook.js').Book} book
 */
export function openImport(controller, book) {
  const status = h('div', { class: 'import-status', 'data-testid': 'import-summary', 'aria-live': 'polite' });
  const file = h('input', {
    type: 'file',
    class: 'visually-hidden',
    accept: book === 'company' ? '.vcf,.vcard,.csv,text/vcard,text/csv' : '.vcf,.vcard,text/vcard',
    'data-testid': 'import-file',
    onchange: () => {
      const chosen = file.files?.[0];
      if (chosen) upload(chosen);
    },
  });
  const pick = h('label', { class: 'btn btn-primary btn-block' }, icon('upload', { size: 20 }), t('phonebook.importChoose'), file);

  /** @param {File} chosen */
  const upload = async (chosen) => {
    const type = importContentType(chosen) ?? (book === 'company' ? null : 'text/vcard');
    if (!type) {
      replace(status, h('p', { class: 'form-error', role: 'alert' }, t('phonebook.importWrongType')));
      return;
    }
    replace(status, h('p', { class: 'muted' }, t('phonebook.importing', { name: chosen.name })));
    try {
      const result = await controller.records.importEntries(book, chosen, type);
      const errors = result.errors ?? [];
      replace(
        status,
        h('p', { class: errors.length ? 'notice' : 'notice notice-success', 'data-testid': 'import-counts' }, t('phonebook.imported', { imported: result.imported, updated: result.updated })),
        errors.length
          ? [
            h('p', { class: 'field-label' }, t('phonebook.importErrors', { n: errors.length })),
            h('ul', { class: 'import-errors', 'data-testid': 'import-errors' }, errors.map((e) => h('li', null, h('strong', null, t('phonebook.importLine', { line: e.line })), ' ', e.message))),
          ]
          : null,
      );
    } catch (error) {
      const unsupported = /** @type {{code?: string}} */ (error).code === 'unsupported-file-type';
      replace(status, h('p', { class: 'form-error', role: 'alert', 'data-testid': 'import-error' }, unsupported ? t('phonebook.importUnsupported') : errorText(error)));
    } finally {
      file.value = '';
    }
  };

  openSheet({
    title: t(`phonebook.importTitle.${book}`),
    testid: 'import-sheet',
    content: [h('p', { class: 'sheet-text' }, t(book === 'company' ? 'phonebook.importHint.company' : 'phonebook.importHint.private')), pick, status],
  });
}
