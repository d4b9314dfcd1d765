import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DICTIONARIES, pickLanguage, setLanguage, t, translate } from '../../src/teamline/web/static/js/i18n.js';
import { STATIC } from './paths.mjs';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('German and English have the same keys and placeholders', () => {
  const de = DICTIONARIES.de;
  const en = DICTIONARIES.en;
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.deepEqual(placeholders(de[key]), placeholders(en[key]), key);
    assert.ok(de[key].trim() && en[key].trim(), `empty text for ${key}`);
  }
});

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.js') && !path.includes('/locales/')) yield path;
  }
}

test('every literal key the views use exists', () => {
  const missing = [];
  for (const file of sources(join(STATIC, 'js'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g)) {
      if (!(match[1] in DICTIONARIES.en)) missing.push(`${file}: ${match[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('keys built from values exist for every value', () => {
  const en = DICTIONARIES.en;
  const expect = [
    ...['contacts', 'telephony', 'journal', 'phonebook', 'search', 'settings'].flatMap((a) => [`nav.${a}`, `nav.${a}.title`]),
    ...['telephony', 'journal', 'phonebook', 'search'].flatMap((a) => [`soon.${a}.title`, `soon.${a}.text`]),
    ...['available', 'away', 'dnd'].flatMap((s) => [`presence.${s}`, `presence.${s}.hint`]),
    'presence.offline', 'presence.idle', 'phone.ringing', 'phone.in-call', 'phone.on-hold',
    'connection.offline', 'connection.connecting', 'connection.online',
    'devices.kind.web', 'devices.kind.mobile',
    ...['light', 'dark', 'system'].map((v) => `settings.theme.${v}`),
    ...['name', 'status', 'recent'].map((v) => `settings.sort.${v}`),
    ...['compact', 'detailed'].map((v) => `settings.listStyle.${v}`),
    ...['invalid-credentials', 'too-many-attempts', 'account-disabled', 'network-error', 'pairing-code-expired',
      'pairing-code-used', 'pairing-code-unknown', 'password-required', 'password-managed-externally',
      'file-too-large', 'invalid-image', 'forbidden', 'unauthenticated'].map((c) => `error.${c}`),
  ];
  assert.deepEqual(expect.filter((key) => !(key in en)), []);
});

test('placeholders are filled, unknown keys fall back', () => {
  assert.equal(translate('de', 'error.too-many-attempts', { seconds: 30 }), 'Zu viele Versuche. Bitte in 30 s erneut versuchen.');
  assert.equal(translate('en', 'no.such.key'), 'no.such.key');
  setLanguage('de');
  assert.equal(t('signin.submit'), 'Anmelden');
  setLanguage('fr');
  assert.equal(t('signin.submit'), 'Sign in');
});

test('the browser language decides before sign-in', () => {
  assert.equal(pickLanguage(['de-DE', 'en-US']), 'de');
  assert.equal(pickLanguage(['fr-FR', 'en-GB']), 'en');
  assert.equal(pickLanguage(['fr-FR']), 'en');
  assert.equal(pickLanguage(['DE-at']), 'de');
  assert.equal(pickLanguage([]), 'en');
});
