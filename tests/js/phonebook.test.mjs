import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  entryInitials, entrySubtitle, entryToForm, fieldErrors, formToBody, importContentType, labelsToText, mayWrite,
  suggestDisplayName, textToLabels, upsertEntry, validateForm,
} from '../../src/teamline/web/static/js/logic/phonebook.js';

const entry = {
  id: 'e1', book: 'company', display_name: 'Dr. Sabine Köhler', first_name: 'Sabine', last_name: 'Köhler',
  organisation: 'Praxis Köhler', numbers: [{ type: 'work', number: '+49891234567', display: '089 1234567' }],
  email: null, notes: null, labels: { 'Kundennr.': '4711', VIP: '' }, favorite: false,
};

test('only managers and admins write the company book; everyone their private one', () => {
  assert.equal(mayWrite('phonebook-manager', 'company'), true);
  assert.equal(mayWrite('admin', 'company'), true);
  assert.equal(mayWrite('user', 'company'), false);
  assert.equal(mayWrite(undefined, 'company'), false);
  assert.equal(mayWrite('user', 'private'), true);
});

test('labels round-trip through the form text', () => {
  assert.equal(labelsToText(entry.labels), 'Kundennr.: 4711\nVIP');
  assert.deepEqual(textToLabels('Kundennr.: 4711\nVIP\n\n  Zeit :  9:00 '), { 'Kundennr.': '4711', VIP: '', Zeit: '9:00' });
  assert.equal(labelsToText(null), '');
});

test('an entry becomes form values and back into an API body', () => {
  const form = entryToForm(entry);
  assert.equal(form.display_name, 'Dr. Sabine Köhler');
  assert.deepEqual(form.numbers, [{ type: 'work', number: '+49891234567' }]);
  form.numbers.push({ type: 'mobile', number: '  0170 1234567 ' }, { type: 'home', number: '  ' }, { type: 'pager', number: '1' });
  const body = formToBody({ ...form, email: '  ', notes: ' Termin nur vormittags ' });
  assert.deepEqual(body.numbers, [
    { type: 'work', number: '+49891234567' },
    { type: 'mobile', number: '0170 1234567' },
    { type: 'work', number: '1' },
  ]);
  assert.equal(body.email, null, 'an empty field is sent as null');
  assert.equal(body.notes, 'Termin nur vormittags');
  assert.deepEqual(body.labels, { 'Kundennr.': '4711', VIP: '' });
  assert.equal(entryToForm(null).display_name, '');
});

test('the form needs a name (or something to make one of) and a plausible email', () => {
  const empty = entryToForm(null);
  assert.deepEqual(validateForm(empty), { display_name: 'phonebook.form.nameRequired' });
  assert.deepEqual(validateForm({ ...empty, last_name: 'Muster' }), {});
  assert.deepEqual(validateForm({ ...empty, display_name: 'X', email: 'no-at' }), { email: 'phonebook.form.emailInvalid' });
  assert.equal(suggestDisplayName({ first_name: ' Max ', last_name: 'Muster', organisation: 'ACME' }), 'Max Muster');
  assert.equal(suggestDisplayName({ first_name: '', last_name: '', organisation: 'ACME' }), 'ACME');
});

test('422 details in their several shapes become one message per field', () => {
  assert.deepEqual(fieldErrors({ display_name: 'required', email: ['bad', 'worse'] }), { display_name: 'required', email: 'bad worse' });
  assert.deepEqual(fieldErrors([{ loc: ['body', 'numbers', 0, 'number'], msg: 'too long' }, { field: 'email', message: 'bad' }]), { numbers: 'too long', email: 'bad' });
  assert.deepEqual(fieldErrors({ 'numbers.1.number': { message: 'not a number' } }), { numbers: 'not a number' });
  assert.deepEqual(fieldErrors(null), {});
});

test('subtitle, import type and keeping the list in order', () => {
  assert.equal(entrySubtitle(entry), 'Praxis Köhler · 089 1234567');
  assert.equal(entrySubtitle({ ...entry, organisation: 'Dr. Sabine Köhler', numbers: [] }), '');
  assert.equal(importContentType({ name: 'Kontakte.VCF' }), 'text/vcard');
  assert.equal(importContentType({ name: 'liste.csv' }), 'text/csv');
  assert.equal(importContentType({ name: 'x', type: 'text/x-vcard' }), 'text/vcard');
  assert.equal(importContentType({ name: 'bild.png', type: 'image/png' }), null);
  const list = [{ ...entry, id: 'a', display_name: 'Zeta' }, { ...entry, id: 'b', display_name: 'Beta' }];
  assert.deepEqual(upsertEntry(list, { ...entry, id: 'c', display_name: 'Ärzte' }).map((e) => e.id), ['c', 'b', 'a']);
  assert.deepEqual(upsertEntry(list, { ...entry, id: 'a', display_name: 'Alpha' }).map((e) => e.display_name), ['Alpha', 'Beta']);
});

test('initials come from words that start with a letter', () => {
  assert.equal(entryInitials('Praxis Sonnenschein 6199327 (neu)'), 'PN');
  assert.equal(entryInitials('Dr. Sabine Köhler'), 'DK');
  assert.equal(entryInitials('Müller GmbH'), 'MG');
  assert.equal(entryInitials('Ärztehaus'), 'Ä');
  assert.equal(entryInitials('112'), '#');
});
