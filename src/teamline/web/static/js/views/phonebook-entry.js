// @ts-check
/** A phonebook entry: the details sheet (call, star, edit, delete) and the edit form (BOOK-5). */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { confirmSheet, openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { NUMBER_TYPES, entryInitials, entryToForm, fieldErrors, formToBody, mayWrite, suggestDisplayName, validateForm } from '../logic/phonebook.js';
import { errorText } from './error-text.js';
import { callNumber } from './search-actions.js';

/**
 * @typedef {import('../controller.js').Controller} Controller
 * @typedef {import('../logic/phonebook.js').Entry} Entry
 * @typedef {import('../logic/phonebook.js').Book} Book
 */

/**
 * A round badge with the entry's initials (phonebook entries have no pictures).
 * @param {string} name
 * @param {'md' | 'xl'} size
 * @param {Book} book
 */
export function entryBadge(name, size, book) {
  return h('span', { class: `avatar avatar-${size} entry-badge`, 'data-book': book, 'aria-hidden': 'true' }, h('span', { class: 'avatar-initials' }, entryInitials(name)));
}

/**
 * The star toggle (BOOK-4): a favourite joins the contact list.
 * @param {Controller} controller
 * @param {Entry} entry
 * @param {string} testid
 */
export function starButton(controller, entry, testid) {
  let favorite = Boolean(entry.favorite);
  const button = h('button', {
    class: 'icon-btn star-btn',
    type: 'button',
    'data-testid': testid,
    onclick: async (/** @type {Event} */ event) => {
      event.stopPropagation();
      const next = !favorite;
      set(next);
      try {
        await controller.records.setFavorite(entry.id, next);
        entry.favorite = next;
      } catch (error) {
        set(!next);
        toast(errorText(error), { kind: 'error' });
      }
    },
  }, icon('star', { size: 22 }));
  /** @param {boolean} value */
  const set = (value) => {
    favorite = value;
    button.setAttribute('aria-pressed', String(value));
    button.setAttribute('aria-label', value ? t('phonebook.unstar') : t('phonebook.star'));
  };
  set(favorite);
  return button;
}

/**
 * @param {Controller} controller
 * @param {Entry} entry
 */
export function openEntryDetails(controller, entry) {
  const writable = mayWrite(controller.me?.role, entry.book);
  const labels = Object.entries(entry.labels ?? {});
  const facts = [
    entry.first_name || entry.last_name ? [h('dt', null, t('phonebook.field.name')), h('dd', null, [entry.first_name, entry.last_name].filter(Boolean).join(' '))] : [],
    entry.email ? [h('dt', null, t('contact.email')), h('dd', null, h('a', { href: `mailto:${entry.email}` }, entry.email))] : [],
    entry.notes ? [h('dt', null, t('phonebook.field.notes')), h('dd', { class: 'entry-notes' }, entry.notes)] : [],
  ].flat();
  const sheet = openSheet({
    title: entry.display_name,
    testid: 'entry-details',
    content: [
      h(
        'div',
        { class: 'details-head' },
        entryBadge(entry.display_name, 'xl', entry.book),
        entry.organisation && entry.organisation !== entry.display_name ? h('p', { class: 'details-text', 'data-testid': 'entry-organisation' }, entry.organisation) : null,
        h('div', { class: 'entry-head-row' }, h('span', { class: 'pill pill-quiet' }, t(`phonebook.book.${entry.book}`)), starButton(controller, entry, 'entry-star')),
      ),
      entry.numbers?.length
        ? h(
          'ul',
          { class: 'number-list', 'data-testid': 'entry-numbers' },
          entry.numbers.map((n, i) =>
            h(
              'li',
              { class: 'number-row' },
              h('span', { class: 'number-text' }, h('small', null, t(`phonebook.type.${n.type}`)), h('span', { class: 'number-value' }, n.display || n.number)),
              n.type === 'fax' ? null : h('button', { class: 'icon-btn call-btn', type: 'button', 'aria-label': t('call.call'), 'data-testid': `entry-call-${i}`, onclick: () => callNumber(n.number) }, icon('phone', { size: 22 })),
            ),
          ),
        )
        : null,
      facts.length ? h('dl', { class: 'details-list' }, facts) : null,
      labels.length ? h('div', { class: 'chips entry-labels', 'data-testid': 'entry-labels' }, labels.map(([key, value]) => h('span', { class: 'badge' }, value ? `${key}: ${value}` : key))) : null,
      writable
        ? h(
          'div',
          { class: 'button-row' },
          h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'entry-edit', onclick: () => { sheet.close(); openEntryForm(controller, entry.book, entry); } }, icon('edit', { size: 18 }), t('phonebook.edit')),
          h(
            'button',
            {
              class: 'btn btn-danger-quiet',
              type: 'button',
              'data-testid': 'entry-delete',
              onclick: async () => {
                const ok = await confirmSheet({ title: t('phonebook.delete'), message: t('phonebook.deleteConfirm', { name: entry.display_name }), confirmLabel: t('phonebook.delete'), danger: true, testid: 'entry-delete-confirm' });
                if (!ok) return;
                try {
                  await controller.records.deleteEntry(entry.book, entry.id);
                  sheet.close();
                  toast(t('phonebook.deleted', { name: entry.display_name }), { kind: 'success' });
                } catch (error) {
                  toast(errorText(error), { kind: 'error' });
                }
              },
            },
            icon('trash', { size: 18 }),
            t('phonebook.delete'),
          ),
        )
        : null,
    ],
  });
}

/**
 * The form for a new entry (entry null) or for changing one.
 * @param {Controller} controller
 * @param {Book} book
 * @param {Entry | null} entry
 */
export function openEntryForm(controller, book, entry) {
  const values = entryToForm(entry);
  /** @type {Record<string, HTMLElement>} */
  const errors = {};
  /**
   * @param {string} name
   * @param {string} labelKey
   * @param {HTMLInputElement | HTMLTextAreaElement} control
   */
  const field = (name, labelKey, control) => {
    errors[name] = h('small', { class: 'field-error', 'data-testid': `entry-error-${name}`, hidden: true });
    return h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(labelKey)), control, errors[name]);
  };
  /**
   * @param {string} name
   * @param {string} value
   * @param {Record<string, any>} [extra]
   */
  const input = (name, value, extra = {}) => h('input', { class: 'input', value, name, autocomplete: 'off', 'data-testid': `entry-${name.replace('_', '-')}`, ...extra });
  const displayName = input('display_name', values.display_name, { required: true });
  const firstName = input('first_name', values.first_name);
  const lastName = input('last_name', values.last_name);
  const organisation = input('organisation', values.organisation);
  const email = input('email', values.email, { type: 'email', inputmode: 'email' });
  const notes = h('textarea', { class: 'input textarea', rows: 3, name: 'notes', 'data-testid': 'entry-notes' }, values.notes);
  const labels = h('textarea', { class: 'input textarea', rows: 2, name: 'labels', placeholder: t('phonebook.field.labelsHint'), 'data-testid': 'entry-labels-input' }, values.labels);
  for (const el of [firstName, lastName, organisation]) {
    el.addEventListener('input', () => {
      displayName.placeholder = suggestDisplayName({ first_name: firstName.value, last_name: lastName.value, organisation: organisation.value });
    });
  }

  const rows = h('div', { class: 'number-rows', 'data-testid': 'entry-number-rows' });
  /** @param {{type: string, number: string}} value */
  const addRow = (value) => {
    const i = rows.children.length;
    const type = h('select', { class: 'select number-type', 'aria-label': t('phonebook.field.numberType'), 'data-testid': `entry-number-type-${i}` }, NUMBER_TYPES.map((ty) => h('option', { value: ty, selected: ty === value.type }, t(`phonebook.type.${ty}`))));
    const number = h('input', { class: 'input number-input', type: 'tel', inputmode: 'tel', value: value.number, autocomplete: 'off', 'aria-label': t('phonebook.field.number'), placeholder: '+49 …', 'data-testid': `entry-number-${i}` });
    const row = h('div', { class: 'number-edit' }, type, number, h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('phonebook.removeNumber'), onclick: () => row.remove() }, icon('close', { size: 18 })));
    rows.append(row);
    return number;
  };
  for (const value of values.numbers.length ? values.numbers : [{ type: 'work', number: '' }]) addRow(value);
  errors.numbers = h('small', { class: 'field-error', 'data-testid': 'entry-error-numbers', hidden: true });
  const formError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'entry-error', hidden: true });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'entry-save' }, t('common.save'));

  /** @param {Record<string, string>} problems field → text */
  const showErrors = (problems) => {
    for (const [name, el] of Object.entries(errors)) {
      el.textContent = problems[name] ?? '';
      el.hidden = !problems[name];
    }
    const other = Object.entries(problems).filter(([name]) => !(name in errors)).map(([, text]) => text);
    formError.textContent = other.join(' ');
    formError.hidden = other.length === 0;
  };

  const read = () => ({
    display_name: displayName.value,
    first_name: firstName.value,
    last_name: lastName.value,
    organisation: organisation.value,
    numbers: [...rows.querySelectorAll('.number-edit')].map((row) => ({
      type: /** @type {HTMLSelectElement} */ (row.querySelector('select')).value,
      number: /** @type {HTMLInputElement} */ (row.querySelector('input')).value,
    })),
    email: email.value,
    notes: notes.value,
    labels: labels.value,
  });

  const form = h(
    'form',
    {
      class: 'form',
      novalidate: true,
      'data-testid': 'entry-form',
      onsubmit: async (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const current = read();
        const problems = validateForm(current);
        showErrors(Object.fromEntries(Object.entries(problems).map(([k, key]) => [k, t(key)])));
        if (Object.keys(problems).length) return;
        const body = formToBody(current);
        if (!body.display_name) body.display_name = suggestDisplayName(current);
        submit.disabled = true;
        try {
          const saved = entry ? await controller.records.updateEntry(book, entry.id, body) : await controller.records.createEntry(book, body);
          sheet.close();
          toast(t(entry ? 'phonebook.saved' : 'phonebook.created', { name: saved?.display_name ?? body.display_name }), { kind: 'success' });
        } catch (error) {
          const err = /** @type {{code?: string, details?: unknown}} */ (error);
          const problems = err.code === 'invalid-input' ? fieldErrors(err.details) : {};
          if (problems.numbers) problems.numbers = t('phonebook.form.numberInvalid');
          showErrors(Object.keys(problems).length ? problems : { form: errorText(error) });
          submit.disabled = false;
        }
      },
    },
    field('display_name', 'phonebook.field.displayName', displayName),
    h('div', { class: 'field-pair' }, field('first_name', 'phonebook.field.firstName', firstName), field('last_name', 'phonebook.field.lastName', lastName)),
    field('organisation', 'phonebook.field.organisation', organisation),
    h(
      'div',
      { class: 'field' },
      h('span', { class: 'field-label' }, t('phonebook.field.numbers')),
      rows,
      errors.numbers,
      h('button', { class: 'btn btn-secondary btn-small add-number', type: 'button', 'data-testid': 'entry-add-number', onclick: () => addRow({ type: 'mobile', number: '' }).focus() }, icon('plus', { size: 16 }), t('phonebook.addNumber')),
    ),
    field('email', 'contact.email', email),
    field('notes', 'phonebook.field.notes', notes),
    field('labels', 'phonebook.field.labels', labels),
    formError,
    submit,
  );
  const sheet = openSheet({ title: entry ? t('phonebook.editTitle') : t(`phonebook.newTitle.${book}`), testid: 'entry-form-sheet', content: form });
  if (!entry) displayName.focus();
}
