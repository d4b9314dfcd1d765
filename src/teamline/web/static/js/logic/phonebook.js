// @ts-check
/**
 * Phonebook entries without DOM (BOOK-1 … BOOK-5): who may write a book, the form's fields to
 * an API body and back, free labels as "key: value" lines, the import summary.
 */

/**
 * @typedef {'company' | 'private'} Book
 * @typedef {'work' | 'mobile' | 'home' | 'fax'} NumberType
 * @typedef {{type: NumberType, number: string, display?: string}} EntryNumber
 * @typedef {{id: string, book: Book, display_name: string, first_name?: string | null,
 *   last_name?: string | null, organisation?: string | null, numbers: EntryNumber[],
 *   email?: string | null, notes?: string | null, labels?: Record<string, string> | null,
 *   favorite?: boolean, created_at?: string, updated_at?: string}} Entry
 * @typedef {{display_name: string, first_name: string, last_name: string, organisation: string,
 *   numbers: Array<{type: string, number: string}>, email: string, notes: string, labels: string}} EntryForm
 * @typedef {{imported: number, updated: number, errors: Array<{line: number, message: string}>}} ImportResult
 */

export const BOOKS = /** @type {const} */ (['company', 'private']);
export const NUMBER_TYPES = /** @type {const} */ (['work', 'mobile', 'home', 'fax']);
export const WRITER_ROLES = ['phonebook-manager', 'admin'];

/**
 * Everyone writes their private book; the company book only phonebook managers and admins.
 * @param {string | null | undefined} role
 * @param {Book} book
 * @returns {boolean}
 */
export function mayWrite(role, book) {
  return book === 'private' || WRITER_ROLES.includes(role ?? '');
}

/**
 * Free labels to the text of the form: one "key: value" per line.
 * @param {Record<string, string> | null | undefined} labels
 * @returns {string}
 */
export function labelsToText(labels) {
  return Object.entries(labels ?? {})
    .map(([key, value]) => (value ? `${key}: ${value}` : key))
    .join('\n');
}

/**
 * The form's label lines back to an object; a line without a colon is a label without value.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function textToLabels(text) {
  /** @type {Record<string, string>} */
  const labels = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    if (!key) continue;
    labels[key] = colon < 0 ? '' : line.slice(colon + 1).trim();
  }
  return labels;
}

/**
 * An entry (or nothing, for a new one) as the values of the edit form.
 * @param {Entry | null} entry
 * @returns {EntryForm}
 */
export function entryToForm(entry) {
  return {
    display_name: entry?.display_name ?? '',
    first_name: entry?.first_name ?? '',
    last_name: entry?.last_name ?? '',
    organisation: entry?.organisation ?? '',
    numbers: (entry?.numbers ?? []).map(({ type, number }) => ({ type, number })),
    email: entry?.email ?? '',
    notes: entry?.notes ?? '',
    labels: labelsToText(entry?.labels),
  };
}

/**
 * The form's values as the API body: trimmed, empty fields as null (which also clears them in
 * a PATCH), empty number rows left out, labels parsed.
 * @param {EntryForm} form
 */
export function formToBody(form) {
  const text = (/** @type {string} */ value) => value.trim() || null;
  return {
    display_name: text(form.display_name),
    first_name: text(form.first_name),
    last_name: text(form.last_name),
    organisation: text(form.organisation),
    numbers: form.numbers
      .map(({ type, number }) => ({ type: NUMBER_TYPES.includes(/** @type {NumberType} */ (type)) ? type : 'work', number: number.trim() }))
      .filter(({ number }) => number),
    email: text(form.email),
    notes: text(form.notes),
    labels: textToLabels(form.labels),
  };
}

/**
 * What the form can tell before asking the server: the display name is required; it is
 * suggested from first and last name or the organisation when left empty.
 * @param {EntryForm} form
 * @returns {Record<string, string>} field → i18n key of the problem
 */
export function validateForm(form) {
  /** @type {Record<string, string>} */
  const problems = {};
  if (!form.display_name.trim() && !suggestDisplayName(form)) problems.display_name = 'phonebook.form.nameRequired';
  if (form.email.trim() && !/^[^@\s]+@[^@\s]+$/.test(form.email.trim())) problems.email = 'phonebook.form.emailInvalid';
  return problems;
}

/**
 * @param {Pick<EntryForm, 'first_name' | 'last_name' | 'organisation'>} form
 * @returns {string}
 */
export function suggestDisplayName(form) {
  const person = [form.first_name.trim(), form.last_name.trim()].filter(Boolean).join(' ');
  return person || form.organisation.trim();
}

/**
 * Field errors from a 422 answer's details, which come as {field: message}, {field: [messages]}
 * or a list of {loc|field, msg|message}. Number rows ("numbers.0.number") count as "numbers".
 * @param {unknown} details
 * @returns {Record<string, string>} field → message
 */
export function fieldErrors(details) {
  /** @type {Record<string, string>} */
  const out = {};
  /**
   * @param {unknown} field
   * @param {unknown} message
   */
  const add = (field, message) => {
    const path = Array.isArray(field) ? field.filter((p) => p !== 'body').join('.') : String(field ?? '');
    const name = path.split('.')[0] || 'form';
    const text = Array.isArray(message) ? message.join(' ') : String(message ?? '');
    if (!out[name]) out[name] = text;
  };
  if (Array.isArray(details)) {
    for (const item of details) add(item?.loc ?? item?.field, item?.msg ?? item?.message);
  } else if (details && typeof details === 'object') {
    for (const [field, message] of Object.entries(details)) {
      if (message && typeof message === 'object' && !Array.isArray(message)) add(field, /** @type {any} */ (message).message ?? JSON.stringify(message));
      else add(field, message);
    }
  }
  return out;
}

/**
 * The line under a name in the list: organisation, else the first number.
 * @param {Entry} entry
 * @returns {string}
 */
export function entrySubtitle(entry) {
  const first = entry.numbers?.[0];
  const number = first ? first.display || first.number : '';
  return [entry.organisation && entry.organisation !== entry.display_name ? entry.organisation : '', number].filter(Boolean).join(' · ');
}

/**
 * Which content type an import file is sent with, by its name or its own type.
 * @param {{name: string, type?: string}} file
 * @returns {'text/vcard' | 'text/csv' | null}
 */
export function importContentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.vcf') || name.endsWith('.vcard') || /vcard/.test(file.type ?? '')) return 'text/vcard';
  if (name.endsWith('.csv') || /csv/.test(file.type ?? '')) return 'text/csv';
  return null;
}

/**
 * Replaces or inserts an entry in a list, keeping the order by name.
 * @param {Entry[]} list
 * @param {Entry} entry
 * @param {string} language
 * @returns {Entry[]}
 */
export function upsertEntry(list, entry, language = 'de') {
  const rest = list.filter((e) => e.id !== entry.id);
  const collator = new Intl.Collator(language, { sensitivity: 'base' });
  return [...rest, entry].sort((a, b) => collator.compare(a.display_name, b.display_name));
}

/**
 * Up to two initials of an entry's name from its words that start with a letter, so numbers,
 * titles in brackets and punctuation do not show ("Praxis Sonnenschein 2 (neu)" → "PN").
 * @param {string} name
 * @returns {string}
 */
export function entryInitials(name) {
  const parts = name.split(/\s+/).map((w) => w.replace(/^[^\p{L}]+/u, '')).filter((w) => /^\p{L}/u.test(w));
  if (parts.length === 0) return '#';
  const first = [...parts[0]][0];
  const last = parts.length > 1 ? [...parts[parts.length - 1]][0] : '';
  return (first + last).toUpperCase();
}
