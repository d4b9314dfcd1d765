// @ts-check
/**
 * UI strings in German and English. `t(key, params)` looks a key up in the current language,
 * falls back to English, then to the key itself; `{name}` placeholders are filled from params.
 * No DOM here: views call `t`, the app switches the language.
 */
import de from './locales/de.js';
import en from './locales/en.js';

/** @typedef {'de' | 'en'} Language */

/** @type {Record<Language, Record<string, string>>} */
export const DICTIONARIES = { de, en };
export const LANGUAGES = /** @type {const} */ (['de', 'en']);

/** @type {Language} */
let current = 'en';

/**
 * The UI language for a list of browser languages (navigator.languages): the first German or
 * English one, English otherwise.
 * @param {readonly string[]} preferred
 * @returns {Language}
 */
export function pickLanguage(preferred) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base === 'de' || base === 'en') return base;
  }
  return 'en';
}

/** @param {string} lang */
export function setLanguage(lang) {
  current = lang === 'de' ? 'de' : 'en';
}

/** @returns {Language} */
export function getLanguage() {
  return current;
}

/**
 * Looks a key up in a given language.
 * @param {Language} lang
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function translate(lang, key, params) {
  const template = DICTIONARIES[lang]?.[key] ?? DICTIONARIES.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Looks a key up in the current language.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params) {
  return translate(current, key, params);
}
