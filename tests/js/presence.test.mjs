import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MANUAL_STATES, effectiveOf, phoneLabelKey, presenceColorVar, presenceLabelKey, presenceRank,
} from '../../src/teamline/web/static/js/logic/presence.js';

const presence = (over) => ({ state: 'available', text: null, auto_away: false, online: true, phone: 'free', effective: 'available', ...over });

test('the picker offers available, be right back and do not disturb', () => {
  assert.deepEqual([...MANUAL_STATES], ['available', 'away', 'dnd']);
});

test('effective state decides the colour; unknown values are offline', () => {
  assert.equal(presenceColorVar('available'), 'var(--presence-available)');
  assert.equal(presenceColorVar('dnd'), 'var(--presence-dnd)');
  assert.equal(presenceColorVar(/** @type {any} */ ('weird')), 'var(--presence-offline)');
  assert.equal(effectiveOf(undefined), 'offline');
  assert.equal(effectiveOf(presence({ effective: 'gone' })), 'offline');
  assert.equal(effectiveOf(presence({ effective: 'away' })), 'away');
});

test('labels: automatic away reads as idle, chosen away as be right back', () => {
  assert.equal(presenceLabelKey(presence({ effective: 'dnd', state: 'dnd' })), 'presence.dnd');
  assert.equal(presenceLabelKey(presence({ effective: 'away', state: 'away' })), 'presence.away');
  assert.equal(presenceLabelKey(presence({ effective: 'away', state: 'available', auto_away: true })), 'presence.idle');
  assert.equal(presenceLabelKey(presence({ effective: 'offline', online: false })), 'presence.offline');
  assert.equal(presenceLabelKey(null), 'presence.offline');
});

test('phone state has a label only when not free', () => {
  assert.equal(phoneLabelKey(presence({})), null);
  assert.equal(phoneLabelKey(presence({ phone: 'in-call' })), 'phone.in-call');
  assert.equal(phoneLabelKey(presence({ phone: 'ringing' })), 'phone.ringing');
  assert.equal(phoneLabelKey(undefined), null);
});

test('rank: available < away < dnd < offline', () => {
  const ranks = ['available', 'away', 'dnd', 'offline'].map((effective) => presenceRank(presence({ effective })));
  assert.deepEqual(ranks, [0, 1, 2, 3]);
});
