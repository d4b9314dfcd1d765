import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installBrowser, next, startedController } from './fakes.mjs';

const me = { id: 'u1', login: 'lea', display_name: 'Lea', role: 'phonebook-manager', avatar_version: 1, presence: { effective: 'available' }, settings: { language: 'de' } };
const session = { token: 'tok', user: me, device: { id: 'd1', name: 'Chrome', kind: 'web', current: true } };
const ROUTES = {
  'POST /api/v1/sessions': [201, session],
  'GET /api/v1/me': [200, me],
  'GET /api/v1/users': [200, { users: [me] }],
  'GET /api/v1/journal': [200, { entries: [], missed_unseen: 3 }],
  'POST /api/v1/journal/seen': [204, null],
  'POST /api/v1/phonebooks/private/import': [200, { imported: 2, updated: 0, errors: [{ line: 9, message: 'no name' }] }],
  'PUT /api/v1/contacts/favorites/phonebook-entry/e1': [204, null],
};

let Controller;
let requests;
beforeEach(async () => {
  requests = installBrowser(ROUTES);
  ({ Controller } = await import('../../src/teamline/web/static/js/controller.js'));
});

const started = () => startedController(Controller, 'lea');


test('the missed-calls count is read after the load, follows events and clears when seen', async () => {
  const { controller, socket } = await started();
  if (controller.records.missedUnseen !== 3) await next(controller, 'journal-missed');
  assert.equal(controller.records.missedUnseen, 3);
  const changed = next(controller, 'journal-missed');
  socket.frame(5, 'journal.missed', { count: 4 });
  await changed;
  assert.equal(controller.records.missedUnseen, 4);
  await controller.records.markJournalSeen();
  assert.equal(controller.records.missedUnseen, 0);
  assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/api/v1/journal/seen'));
});

test('journal, phonebook and favourite events reach the views', async () => {
  const { controller, socket } = await started();
  const created = next(controller, 'journal');
  socket.frame(6, 'journal.created', { entry: { id: 'j1' } });
  assert.deepEqual(await created, { entry: { id: 'j1' } });
  const changed = next(controller, 'phonebook');
  socket.frame(7, 'phonebook.changed', { book: 'company', id: 'e1', deleted: true });
  assert.deepEqual(await changed, { book: 'company', id: 'e1', deleted: true });
  const starred = next(controller, 'favorite');
  socket.frame(8, 'favorites.changed', { kind: 'phonebook-entry', id: 'e1', favorite: true });
  assert.deepEqual(await starred, { kind: 'phonebook-entry', id: 'e1', favorite: true });
});

test('an import sends the file as it is with its content type', async () => {
  const { controller } = await started();
  const result = await controller.records.importEntries('private', 'BEGIN:VCARD', 'text/vcard');
  assert.equal(result.imported, 2);
  const sent = requests.find((r) => r.path === '/api/v1/phonebooks/private/import');
  assert.equal(sent.headers['Content-Type'], 'text/vcard');
  assert.equal(sent.body, 'BEGIN:VCARD');
  await controller.records.setFavorite('e1', true);
  assert.ok(requests.some((r) => r.method === 'PUT' && r.path === '/api/v1/contacts/favorites/phonebook-entry/e1'));
});

test('signing out forgets the count', async () => {
  const { controller } = await started();
  controller.records.setMissed(2);
  controller.endSession('signed-out');
  assert.equal(controller.records.missedUnseen, 0);
});
