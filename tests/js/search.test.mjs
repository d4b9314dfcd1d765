import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRecent, debounce, groupResults, isNumberQuery, latestOnly, normalizeQuery } from '../../src/teamline/web/static/js/logic/search.js';

test('results are grouped by source in a fixed order, keeping the server order inside', () => {
  const r = (source, id) => ({ source, id, title: id, action: 'open' });
  const groups = groupResults([r('journal', 'j1'), r('contact', 'u1'), r('chat', 'm1'), r('journal', 'j2'), r('company-phonebook', 'e1'), r('teams', 't1')]);
  assert.deepEqual(groups.map((g) => g.source), ['contact', 'company-phonebook', 'journal', 'chat', 'teams']);
  assert.deepEqual(groups[2].results.map((x) => x.id), ['j1', 'j2']);
  assert.deepEqual(groupResults([]), []);
});

test('only the answer to the newest request counts', () => {
  const tickets = latestOnly();
  const first = tickets.next();
  const second = tickets.next();
  assert.equal(tickets.isLatest(first), false);
  assert.equal(tickets.isLatest(second), true);
});

test('debounce waits for a pause and can be cancelled', () => {
  const pending = new Map();
  let id = 0;
  const timers = { set: (fn, ms) => { pending.set(++id, { fn, ms }); return id; }, clear: (t) => pending.delete(t) };
  const calls = [];
  const typed = debounce((q) => calls.push(q), 150, timers);
  typed('a');
  typed('an');
  typed('and');
  assert.equal(pending.size, 1);
  const [[, { fn, ms }]] = pending;
  assert.equal(ms, 150);
  fn();
  assert.deepEqual(calls, ['and']);
  typed('x');
  typed.cancel();
  assert.equal(pending.size, 0);
});

test('queries are tidied, recent searches deduplicated, numbers recognised', () => {
  assert.equal(normalizeQuery('  And   Muster '), 'And Muster');
  assert.deepEqual(addRecent(['mull', 'And Muster'], ' and  muster'), ['and muster', 'mull']);
  assert.deepEqual(addRecent(['a'], '   '), ['a']);
  assert.equal(addRecent(['1', '2', '3'], '4', 3).length, 3);
  assert.equal(isNumberQuery('0170 123'), true);
  assert.equal(isNumberQuery('+49 (170) 123'), true);
  assert.equal(isNumberQuery('12'), false);
  assert.equal(isNumberQuery('mull'), false);
});

test('debounce works with the real timers, called without a this', async () => {
  const calls = [];
  const typed = debounce((q) => calls.push(q), 5);
  typed('a');
  typed('ab');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(calls, ['ab']);
});
