import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSocket, installBrowser, next, startedController } from './fakes.mjs';

const presence = (effective, extra = {}) => ({ state: 'available', text: '', auto_away: false, online: true, phone: 'free', effective, ...extra });
const me = { id: 'u1', login: 'max', display_name: 'Max', avatar_version: 1, presence: presence('available'), settings: { language: 'de', theme: 'dark', contact_sort: 'name', list_style: 'detailed', auto_away_seconds: 300, hide_system_calls: false } };
const erika = { id: 'u2', login: 'erika', display_name: 'Erika', avatar_version: 1, presence: presence('offline') };
const session = { token: 'tok', user: me, device: { id: 'd1', name: 'Chrome', kind: 'web', current: true } };
const ROUTES = {
  'POST /api/v1/sessions': [201, session],
  'GET /api/v1/me': [200, me],
  'GET /api/v1/users': [200, { users: [me, erika] }],
  'DELETE /api/v1/sessions/current': [204, null],
  'POST /api/v1/pairings': [401, { error: { code: 'invalid-credentials', message: 'Wrong password', details: {} } }],
};

let Controller;
let requests;
beforeEach(async () => {
  requests = installBrowser(ROUTES);
  ({ Controller } = await import('../../src/teamline/web/static/js/controller.js'));
});

const started = () => startedController(Controller, 'max');


test('sign-in stores the session and sends the device name', async () => {
  const controller = new Controller();
  await controller.signIn('max', 'teamline');
  assert.equal(controller.token, 'tok');
  assert.equal(localStorage.getItem('teamline.token'), 'tok');
  assert.equal(controller.deviceId, 'd1');
  assert.equal(controller.settings.theme, 'dark', 'my settings apply at once');
  assert.deepEqual(JSON.parse(requests[0].body), { login: 'max', password: 'teamline', device_name: 'Chrome on Linux' });
});

test('the socket carries the token, then reports the client state', async () => {
  const { socket } = await started();
  assert.equal(socket.url, 'ws://127.0.0.1:8080/api/v1/events?token=tok');
  assert.deepEqual(socket.sent[0], { type: 'client.state', data: { idle: false, foreground: true } });
});

test('presence events update the colleague and remember the last event id', async () => {
  const { controller, socket } = await started();
  const changed = next(controller, 'user');
  socket.frame(7, 'presence.changed', { user_id: 'u2', presence: presence('dnd', { text: 'Meeting' }) });
  assert.equal(await changed, 'u2');
  assert.equal(controller.users.get('u2').presence.text, 'Meeting');
  assert.equal(localStorage.getItem('teamline.lastEventId'), '7');
});

test('a presence batch updates every colleague in it', async () => {
  const { controller, socket } = await started();
  const changed = next(controller, 'user');
  socket.frame(10, 'presence.batch', {
    changes: [
      { user_id: 'u2', presence: presence('dnd', { text: 'Batch' }) },
      { user_id: 'u1', presence: presence('away') },
    ],
  });
  await changed;
  assert.equal(controller.users.get('u2').presence.text, 'Batch');
  assert.equal(controller.users.get('u1').presence.effective, 'away');
  assert.equal(localStorage.getItem('teamline.lastEventId'), '10');
});

test('events that arrive during a load are applied after the snapshot', async () => {
  const { controller, socket } = await started();
  const loading = controller.load();
  socket.frame(8, 'presence.changed', { user_id: 'u2', presence: presence('away') });
  assert.equal(controller.users.get('u2').presence.effective, 'offline', 'held back while loading');
  await loading;
  assert.equal(controller.users.get('u2').presence.effective, 'away');
});

test('reconnecting asks for what was missed since the last event', async () => {
  const { socket } = await started();
  socket.frame(12, 'presence.changed', { user_id: 'u2', presence: presence('away') });
  socket.close(1006);
  await new Promise((resolve) => setTimeout(resolve, 600)); // the first backoff step
  assert.match(FakeSocket.instances.at(-1).url, /since=12$/);
});

test('unpairing this device signs it out with the reason', async () => {
  const { controller, socket } = await started();
  const signedOut = next(controller, 'signed-out');
  socket.frame(9, 'device.revoked', { device_id: 'd1' });
  assert.equal(await signedOut, 'revoked');
  assert.equal(controller.token, null);
  assert.equal(localStorage.getItem('teamline.token'), null);
});

test('close code 4401 ends the session', async () => {
  const { controller, socket } = await started();
  const signedOut = next(controller, 'signed-out');
  socket.close(4401);
  assert.equal(await signedOut, 'expired');
});

test('a wrong password in a form does not end the session', async () => {
  const { controller } = await started();
  await assert.rejects(controller.startPairing('nope'), (error) => error.code === 'invalid-credentials' && error.status === 401);
  assert.equal(controller.token, 'tok');
});

test('settings.changed applies settings from another device', async () => {
  const { controller, socket } = await started();
  const changed = next(controller, 'settings');
  socket.frame(10, 'settings.changed', { settings: { ...me.settings, language: 'en' } });
  await changed;
  assert.equal(controller.settings.language, 'en');
});
