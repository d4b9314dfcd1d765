import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, words, matches, matcher } from '../../src/teamline/web/static/js/logic/match.js';

test('every fragment must start a word: "And Muster" finds Max-Andreas Mustermann', () => {
  assert.ok(matches('And Muster', 'Max-Andreas Mustermann'));
  assert.ok(matches('max', 'Max-Andreas Mustermann'));
  assert.ok(matches('mann', 'Max-Andreas Mustermann') === false, 'inside a word does not count');
  assert.ok(matches('dreas', 'Max-Andreas Mustermann') === false);
  assert.ok(matches('Max Erika', 'Max-Andreas Mustermann') === false, 'all fragments must match');
});

test('case and accents are ignored, on both sides', () => {
  assert.ok(matches('jose', 'José Müller'));
  assert.ok(matches('MUL', 'José Müller'));
  assert.ok(matches('mül', 'Jose Muller'));
  assert.ok(matches('strasse', 'Hauptstraße') === false, 'still prefix-only');
  assert.ok(matches('haupts', 'Hauptstraße'));
  assert.ok(matches('Ørsted', 'Anders Orsted'));
});

test('hyphens split words in the query too', () => {
  assert.ok(matches('max-and', 'Max-Andreas Mustermann'));
  assert.ok(matches('Max-Andreas', 'Andreas Max'));
});

test('an empty query matches everything; several texts are searched together', () => {
  assert.ok(matches('', 'anything'));
  assert.ok(matches('   ', 'anything'));
  assert.ok(matches('erika 10', 'Erika Musterfrau', '102'));
  assert.ok(matches('example', 'Erika', null, undefined, 'erika@example.com'));
  assert.ok(matches('x', null) === false);
});

test('fold and words', () => {
  assert.equal(fold('ÄÖÜß'), 'aouss');
  assert.deepEqual(words('Max-Andreas  Mustermann'), ['max', 'andreas', 'mustermann']);
  assert.deepEqual(words('o.brien@example.com'), ['o', 'brien', 'example', 'com']);
  assert.deepEqual(words(''), []);
});

test('a matcher can be reused', () => {
  const test = matcher('mus');
  assert.ok(test('Erika Musterfrau'));
  assert.ok(!test('Admin'));
});
