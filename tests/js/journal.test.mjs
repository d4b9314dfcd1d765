import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILTERS, clockTime, copyText, dayHeading, formatDuration, groupByDay, journalParams, matchesFilter, mergeEntries, partyLabel,
} from '../../src/teamline/web/static/js/logic/journal.js';

const call = (id, started_at, extra = {}) => ({
  id, direction: 'inbound', result: 'answered', party: { name: 'Erika', number: '+491719876543' }, internal: true, system: false, started_at, talk_seconds: 42, ...extra,
});

test('each filter chip becomes its query parameters', () => {
  const q = (f, page) => Object.fromEntries(journalParams(f, page));
  assert.deepEqual(q('all'), { limit: '50' });
  assert.deepEqual(q('missed'), { result: 'missed', limit: '50' });
  assert.deepEqual(q('in'), { direction: 'inbound', limit: '50' });
  assert.deepEqual(q('out', { limit: 20, before: 'j9' }), { direction: 'outbound', limit: '20', before: 'j9' });
  assert.deepEqual(q('internal'), { internal: 'true', limit: '50' });
  assert.deepEqual(q('external'), { internal: 'false', limit: '50' });
  assert.equal(FILTERS.length, 6);
});

test('live entries are checked against the filter and the system-call setting', () => {
  const missedExternal = call('1', '2026-01-01T10:00:00Z', { result: 'missed', internal: false });
  assert.ok(matchesFilter(missedExternal, 'all'));
  assert.ok(matchesFilter(missedExternal, 'missed'));
  assert.ok(matchesFilter(missedExternal, 'external'));
  assert.ok(!matchesFilter(missedExternal, 'internal'));
  assert.ok(!matchesFilter(missedExternal, 'out'));
  assert.ok(matchesFilter(missedExternal, 'in'));
  assert.ok(!matchesFilter({ ...missedExternal, system: true }, 'all', true));
  assert.ok(matchesFilter({ ...missedExternal, system: true }, 'all', false));
});

test('durations read like a clock', () => {
  assert.equal(formatDuration(0), '');
  assert.equal(formatDuration(null), '');
  assert.equal(formatDuration(42), '0:42');
  assert.equal(formatDuration(725), '12:05');
  assert.equal(formatDuration(3729), '1:02:09');
});

test('calls are grouped by local day, today and yesterday by name', () => {
  const now = new Date(2026, 0, 10, 12, 0).getTime();
  const today = new Date(2026, 0, 10, 9, 30).toISOString();
  const yesterday = new Date(2026, 0, 9, 23, 59).toISOString();
  const older = new Date(2026, 0, 3, 8, 0).toISOString();
  assert.equal(dayHeading(today, now, 'de').kind, 'today');
  assert.equal(dayHeading(yesterday, now, 'de').kind, 'yesterday');
  assert.equal(dayHeading(older, now, 'en').kind, 'date');
  assert.match(dayHeading(older, now, 'en').label, /January/);
  const groups = groupByDay([call('a', today), call('b', today), call('c', yesterday), call('d', older)], now, 'de');
  assert.deepEqual(groups.map((g) => g.entries.length), [2, 1, 1]);
  assert.equal(clockTime(new Date(2026, 0, 10, 9, 5).toISOString(), 'de'), '09:05');
  assert.equal(clockTime('nonsense', 'de'), '');
});

test('pages and live entries merge newest first without duplicates', () => {
  const list = [call('3', '2026-01-03T10:00:00Z'), call('2', '2026-01-02T10:00:00Z')];
  const merged = mergeEntries(list, [call('4', '2026-01-04T10:00:00Z'), call('2', '2026-01-02T10:00:00Z', { talk_seconds: 1 }), call('1', '2026-01-01T10:00:00Z')]);
  assert.deepEqual(merged.map((e) => e.id), ['4', '3', '2', '1']);
  assert.equal(merged[2].talk_seconds, 1, 'the newer copy wins');
});

test('the party is named by name, else number; copy text falls back to both', () => {
  assert.deepEqual(partyLabel({ name: 'Erika', number: '+49171' }), { title: 'Erika', number: '+49171', known: true });
  assert.deepEqual(partyLabel({ name: '', number: '+49171' }), { title: '+49171', number: '', known: true });
  assert.deepEqual(partyLabel(null), { title: '', number: '', known: false });
  assert.equal(copyText({ ...call('1', '2026-01-01T10:00:00Z'), copy_text: 'Erika Musterfrau, +49 171 9876543' }), 'Erika Musterfrau, +49 171 9876543');
  assert.equal(copyText(call('1', '2026-01-01T10:00:00Z')), 'Erika, +491719876543');
});
