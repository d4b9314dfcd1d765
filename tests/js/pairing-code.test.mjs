import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPairingCode } from '../../src/teamline/web/static/js/logic/pairing-code.js';

test('the code comes from the fragment of a pairing link', () => {
  assert.equal(extractPairingCode('http://127.0.0.1:8080/pair#AbC123-_xyz'), 'AbC123-_xyz');
  assert.equal(extractPairingCode('  https://pbx.example.com/pair#Zq9T0kLm  '), 'Zq9T0kLm');
  assert.equal(extractPairingCode('#Zq9T0kLm'), 'Zq9T0kLm');
});

test('a bare code is accepted', () => {
  assert.equal(extractPairingCode('Zq9T0kLm'), 'Zq9T0kLm');
});

test('nothing usable gives null', () => {
  assert.equal(extractPairingCode(''), null);
  assert.equal(extractPairingCode(null), null);
  assert.equal(extractPairingCode('#'), null);
  assert.equal(extractPairingCode('https://pbx.example.com/pair'), null);
  assert.equal(extractPairingCode('hello world'), null);
  assert.equal(extractPairingCode('http://x/pair#%E0%A4%A'), null);
});
