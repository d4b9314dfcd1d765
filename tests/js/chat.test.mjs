import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeTypists, applyReceipt, countIncoming, layoutMessages, linkify, mayAnnounceTyping, mergeMessages,
  newestFromOthers, receiptOf, toggleReaction, unreadTotal, withDraft, formatSize,
} from '../../src/teamline/web/static/js/logic/chat.js';

const msg = (seq, extra = {}) => ({
  id: `m${seq}`, conversation_id: 'c1', author_id: 'bob', text: `text ${seq}`, client_id: null,
  created_at: `2026-05-0${1 + (seq % 3)}T10:00:0${seq % 10}Z`, edited_at: null, deleted: false, seq,
  reactions: [], attachments: [], ...extra,
});

test('merging keeps one copy per id, in sequence order', () => {
  const merged = mergeMessages([msg(2), msg(1)], [msg(3), msg(2, { text: 'edited' })]);
  assert.deepEqual(merged.map((m) => m.id), ['m1', 'm2', 'm3']);
  assert.equal(merged[1].text, 'edited');
});

test('the server copy replaces the optimistic one with the same client id; unsent stay last', () => {
  const local = msg(0, { id: 'local:x', client_id: 'x', author_id: 'me', pending: true });
  const other = msg(0, { id: 'local:y', client_id: 'y', author_id: 'me', failed: true });
  let list = mergeMessages([msg(1)], [local, other]);
  assert.deepEqual(list.map((m) => m.id), ['m1', 'local:x', 'local:y']);
  list = mergeMessages(list, [msg(2, { client_id: 'x', author_id: 'me' })]);
  assert.deepEqual(list.map((m) => m.id), ['m1', 'm2', 'local:y']);
  // The event and the answer both bring it: still one.
  list = mergeMessages(list, [msg(2, { client_id: 'x', author_id: 'me' })]);
  assert.equal(list.filter((m) => m.client_id === 'x').length, 1);
  // Another author's client id is a different message.
  list = mergeMessages(list, [msg(3, { client_id: 'y', author_id: 'bob' })]);
  assert.equal(list.length, 4);
});

test('unread counting ignores replays and my own messages', () => {
  let c = { unread: 0, last_seq: 4 };
  c = { ...c, ...countIncoming(c, msg(5), 'me') };
  assert.deepEqual(c, { unread: 1, last_seq: 5 });
  c = { ...c, ...countIncoming(c, msg(5), 'me') };
  assert.equal(c.unread, 1, 'a replayed event does not count twice');
  c = { ...c, ...countIncoming(c, msg(4), 'me') };
  assert.equal(c.unread, 1, 'an older one neither');
  c = { ...c, ...countIncoming(c, msg(6, { author_id: 'me' }), 'me') };
  assert.deepEqual(c, { unread: 1, last_seq: 6 });
  assert.equal(unreadTotal([{ unread: 2 }, { unread: 0 }, { unread: 3 }]), 5);
});

test('receipts: sent, delivered to all, read by all', () => {
  const seqs = { m1: 1, m2: 2, m3: 3 };
  const seqOf = (id) => seqs[id] ?? 0;
  const mine = msg(2, { author_id: 'me' });
  const members = [
    { user_id: 'me', read_up_to: 'm3', delivered_up_to: 'm3' },
    { user_id: 'bob', read_up_to: 'm1', delivered_up_to: 'm2' },
    { user_id: 'eve', read_up_to: null, delivered_up_to: 'm1' },
  ];
  assert.equal(receiptOf(mine, members, 'me', seqOf), 'sent');
  const delivered = applyReceipt(members, { user_id: 'eve', delivered_up_to: 'm3' }, seqOf);
  assert.equal(receiptOf(mine, delivered, 'me', seqOf), 'delivered');
  let read = applyReceipt(delivered, { user_id: 'eve', read_up_to: 'm2' }, seqOf);
  read = applyReceipt(read, { user_id: 'bob', read_up_to: 'm3' }, seqOf);
  assert.equal(receiptOf(mine, read, 'me', seqOf), 'read');
  // Markers never move back.
  const back = applyReceipt(read, { user_id: 'bob', read_up_to: 'm1' }, seqOf);
  assert.equal(back.find((m) => m.user_id === 'bob').read_up_to, 'm3');
  assert.equal(receiptOf({ ...mine, pending: true, seq: 0 }, read, 'me', seqOf), 'sending');
  assert.equal(receiptOf({ ...mine, failed: true, seq: 0 }, read, 'me', seqOf), 'failed');
});

test('typing goes out at most every three seconds and shows for a while', () => {
  assert.equal(mayAnnounceTyping(0, 10_000), true);
  assert.equal(mayAnnounceTyping(10_000, 12_999), false);
  assert.equal(mayAnnounceTyping(10_000, 13_000), true);
  assert.deepEqual(activeTypists(new Map([['a', 5], ['b', 20]]), 10), ['b']);
});

test('links and numbers become tokens; punctuation after a link stays text', () => {
  const tokens = linkify('See https://example.org/a?b=1. Call +49 30 1234567 or 0170/123 456, not 15:00 or 2024-05-01.');
  const kinds = tokens.filter((t) => t.kind !== 'text');
  assert.deepEqual(kinds, [
    { kind: 'url', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
    { kind: 'phone', text: '+49 30 1234567', number: '+49301234567' },
    { kind: 'phone', text: '0170/123 456', number: '0170123456' },
  ]);
  assert.equal(tokens.map((t) => t.text).join(''), 'See https://example.org/a?b=1. Call +49 30 1234567 or 0170/123 456, not 15:00 or 2024-05-01.');
  assert.deepEqual(linkify('www.teamline.example'), [{ kind: 'url', text: 'www.teamline.example', href: 'https://www.teamline.example' }]);
  assert.deepEqual(linkify('(https://de.wikipedia.org/wiki/Foo_(Bar))').filter((t) => t.kind === 'url')[0].text, 'https://de.wikipedia.org/wiki/Foo_(Bar)');
  assert.deepEqual(linkify('Ext 101 and order 12345'), [{ kind: 'text', text: 'Ext 101 and order 12345' }]);
  assert.equal(linkify('https://x.example/tel/0301234567').length, 1, 'numbers inside links stay in the link');
});

test('my reaction toggles', () => {
  let r = toggleReaction([], '👍', 'me');
  assert.deepEqual(r, [{ emoji: '👍', user_ids: ['me'] }]);
  r = toggleReaction([{ emoji: '👍', user_ids: ['bob'] }], '👍', 'me');
  assert.deepEqual(r, [{ emoji: '👍', user_ids: ['bob', 'me'] }]);
  assert.deepEqual(toggleReaction(r, '👍', 'me'), [{ emoji: '👍', user_ids: ['bob'] }]);
  assert.deepEqual(toggleReaction([{ emoji: '🎉', user_ids: ['me'] }], '🎉', 'me'), []);
});

test('day headings and author runs', () => {
  const items = layoutMessages([msg(3), msg(6), msg(4, { author_id: 'me' })], (iso) => iso.slice(0, 10));
  assert.deepEqual(items.map((i) => (i.kind === 'day' ? `day ${i.key}` : `${i.message.id}${i.first ? '*' : ''}`)), ['day 2026-05-01', 'm3*', 'm6', 'day 2026-05-02', 'm4*']);
});

test('the newest message of others, drafts, sizes', () => {
  assert.equal(newestFromOthers([msg(1), msg(2, { author_id: 'me' }), msg(0, { pending: true })], 'me').id, 'm1');
  assert.deepEqual(withDraft({ a: 'x' }, 'b', 'hello'), { a: 'x', b: 'hello' });
  assert.deepEqual(withDraft({ a: 'x' }, 'a', '  '), {});
  assert.equal(formatSize(512, 'en'), '512 B');
  assert.equal(formatSize(1_400_000, 'de'), '1,4 MB');
});
