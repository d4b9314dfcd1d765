import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEntries, filterCounts, visibleEntries } from '../../src/teamline/web/static/js/logic/contact-list.js';

const presence = (effective) => ({ state: 'available', text: null, auto_away: false, online: effective !== 'offline', phone: 'free', effective });
const users = [
  { id: 'me', login: 'me', display_name: 'Me Myself', presence: presence('available') },
  { id: 'max', login: 'max', display_name: 'Max-Andreas Mustermann', extension: '101', presence: presence('dnd') },
  { id: 'erika', login: 'erika', display_name: 'Erika Musterfrau', extension: '102', presence: presence('offline') },
  { id: 'jonas', login: 'jonas', display_name: 'Jonas Müller', extension: '103', presence: presence('available') },
];
const contacts = [
  { kind: 'user', id: 'erika', title: 'Erika Musterfrau', favorite: true, unread: 0, conversation_id: 'c-erika', last_activity_at: '2026-05-01T10:00:00Z', presence: null, number: '102' },
  { kind: 'user', id: 'max', title: 'Max', favorite: false, unread: 0, conversation_id: null, last_activity_at: null, presence: null, number: '101' },
  { kind: 'group', id: 'g1', title: 'Kaffeerunde', subtitle: '5 members', favorite: false, unread: 0, conversation_id: 'c-g1', last_activity_at: '2026-05-01T09:00:00Z', presence: null, number: null },
  { kind: 'phonebook-entry', id: 'p1', title: 'Müller GmbH', subtitle: 'Müller GmbH', favorite: true, unread: 0, conversation_id: null, last_activity_at: null, presence: null, number: '+49301234567' },
];
const conversations = new Map([
  ['c-g1', { unread: 3, muted: true, last_activity_at: '2026-05-02T08:00:00Z' }],
  ['c-max', { unread: 1, muted: false, last_activity_at: '2026-05-01T11:00:00Z' }],
]);
const entries = buildEntries({ users, contacts, meId: 'me', conversations, directs: new Map([['max', 'c-max']]) });
const ids = (list) => list.map((e) => e.id);

test('one list: colleagues from the directory (not me), groups and favourite entries from the server', () => {
  assert.deepEqual(ids(entries).sort(), ['erika', 'g1', 'jonas', 'max', 'p1']);
  const max = entries.find((e) => e.id === 'max');
  assert.equal(max.title, 'Max-Andreas Mustermann', 'the live directory name wins');
  assert.equal(max.conversation_id, 'c-max');
  assert.equal(max.unread, 1, 'unread comes from the live conversation');
  assert.equal(entries.find((e) => e.id === 'g1').muted, true);
});

test('favourites first, then by name', () => {
  assert.deepEqual(ids(visibleEntries(entries)), ['erika', 'p1', 'jonas', 'g1', 'max']);
});

test('by status (after the favourites): online colleagues, then groups and entries, then offline', () => {
  assert.deepEqual(ids(visibleEntries(entries, { sort: 'status' })), ['p1', 'erika', 'jonas', 'max', 'g1']);
});

test('by recent activity: new messages move up', () => {
  assert.deepEqual(ids(visibleEntries(entries, { sort: 'recent' })), ['erika', 'p1', 'g1', 'max', 'jonas']);
});

test('smart filters and their counts', () => {
  assert.deepEqual(ids(visibleEntries(entries, { filter: 'online' })), ['jonas', 'max']);
  assert.deepEqual(ids(visibleEntries(entries, { filter: 'favorites' })), ['erika', 'p1']);
  assert.deepEqual(ids(visibleEntries(entries, { filter: 'unread' })), ['g1', 'max']);
  assert.deepEqual(ids(visibleEntries(entries, { filter: 'groups' })), ['g1']);
  assert.deepEqual(ids(visibleEntries(entries, { filter: 'teams' })), []);
  assert.deepEqual(filterCounts(entries), { all: 5, online: 2, favorites: 2, unread: 2, teams: 0, groups: 1 });
});

test('the text filter matches word parts of names, numbers and logins', () => {
  assert.deepEqual(ids(visibleEntries(entries, { query: 'And Muster' })), ['max']);
  assert.deepEqual(ids(visibleEntries(entries, { query: 'mull' })), ['p1', 'jonas']);
  assert.deepEqual(ids(visibleEntries(entries, { query: 'kaffee' })), ['g1']);
  assert.deepEqual(ids(visibleEntries(entries, { query: '102' })), ['erika']);
  assert.deepEqual(ids(visibleEntries(entries, { query: 'muster', filter: 'favorites' })), ['erika']);
});
