import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initials, visibleColleagues } from '../../src/teamline/web/static/js/logic/contacts.js';

const user = (id, display_name, effective = 'available', extra = {}) => ({
  id, login: id, display_name, extension: null, email: null,
  presence: { state: 'available', text: null, auto_away: false, online: true, phone: 'free', effective }, ...extra,
});
const people = [
  user('max', 'Max-Andreas Mustermann', 'dnd', { extension: '101' }),
  user('erika', 'Erika Musterfrau', 'offline', { extension: '102', email: 'erika@example.com' }),
  user('admin', 'Admin', 'available', { extension: '100' }),
  user('zoe', 'Zoë Ångström', 'away'),
];
const ids = (list) => list.map((u) => u.id);

test('sorted by name by default, accents and case ignored', () => {
  assert.deepEqual(ids(visibleColleagues(people)), ['admin', 'erika', 'max', 'zoe']);
});

test('sorted by status: available, away, dnd, offline; then by name', () => {
  assert.deepEqual(ids(visibleColleagues(people, { sort: 'status' })), ['admin', 'zoe', 'max', 'erika']);
});

test('sorted by recent activity, unknown activity last by name', () => {
  const recent = new Map([['erika', 5], ['zoe', 9]]);
  assert.deepEqual(ids(visibleColleagues(people, { sort: 'recent', recent })), ['zoe', 'erika', 'admin', 'max']);
});

test('the filter matches word starts in name, login, extension and email', () => {
  assert.deepEqual(ids(visibleColleagues(people, { query: 'And Muster' })), ['max']);
  assert.deepEqual(ids(visibleColleagues(people, { query: 'muster' })), ['erika', 'max']);
  assert.deepEqual(ids(visibleColleagues(people, { query: '10' })), ['admin', 'erika', 'max']);
  assert.deepEqual(ids(visibleColleagues(people, { query: 'example' })), ['erika']);
  assert.deepEqual(ids(visibleColleagues(people, { query: 'angst' })), ['zoe']);
  assert.deepEqual(ids(visibleColleagues(people, { query: 'nobody' })), []);
});

test('I am left out of my own contact list', () => {
  assert.deepEqual(ids(visibleColleagues(people, { excludeId: 'admin' })), ['erika', 'max', 'zoe']);
});

test('initials', () => {
  assert.equal(initials('Max-Andreas Mustermann'), 'MM');
  assert.equal(initials('Admin'), 'A');
  assert.equal(initials('  erika   musterfrau '), 'EM');
  assert.equal(initials('Ölaf van Dyk'), 'ÖD');
  assert.equal(initials(''), '?');
});
