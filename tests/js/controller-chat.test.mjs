import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installBrowser, next, startedController } from './fakes.mjs';

const presence = { state: 'available', text: '', auto_away: false, online: true, phone: 'free', effective: 'available' };
const me = { id: 'u1', login: 'max', display_name: 'Max', presence, settings: { language: 'de', theme: 'dark', contact_sort: 'name', list_style: 'detailed', auto_away_seconds: 300, hide_system_calls: false } };
const erika = { id: 'u2', login: 'erika', display_name: 'Erika', presence };
const session = { token: 'tok', user: me, device: { id: 'd1', name: 'Chrome', kind: 'web', current: true } };
const message = (seq, extra = {}) => ({
  id: `m${seq}`, conversation_id: 'c1', author_id: 'u2', text: `hi ${seq}`, client_id: null, created_at: '2026-05-01T10:00:00Z',
  edited_at: null, deleted: false, seq, reactions: [], attachments: [], ...extra,
});
const conversation = {
  id: 'c1', kind: 'direct', title: 'Erika', unread: 1, muted: false, last_message: message(3), group_id: null, peer_id: 'u2',
  members: [{ user_id: 'u1', read_up_to: 'm2', delivered_up_to: 'm3' }, { user_id: 'u2', read_up_to: 'm3', delivered_up_to: 'm3' }],
  last_activity_at: '2026-05-01T10:00:00Z',
};
const ROUTES = {
  'POST /api/v1/sessions': [201, session],
  'GET /api/v1/me': [200, me],
  'GET /api/v1/users': [200, { users: [me, erika] }],
  'GET /api/v1/contacts': [200, { contacts: [{ kind: 'user', id: 'u2', title: 'Erika', subtitle: '', favorite: true, unread: 1, conversation_id: 'c1', last_activity_at: null, presence, number: null }], unread_total: 1 }],
  'GET /api/v1/conversations': [200, { conversations: [conversation], unread_total: 1 }],
  'GET /api/v1/groups': [200, { groups: [] }],
  'GET /api/v1/conversations/c1/messages': [200, { messages: [message(1), message(2), message(3)] }],
  'POST /api/v1/conversations/c1/messages': [201, message(4, { author_id: 'u1', client_id: 'will-be-replaced', text: 'hello' })],
  'POST /api/v1/conversations/c1/read': [204, null],
  'POST /api/v1/conversations/c1/delivered': [204, null],
};

let Controller;
let requests;
beforeEach(async () => {
  requests = installBrowser(ROUTES);
  ({ Controller } = await import('../../src/teamline/web/static/js/controller.js'));
});

const started = () => startedController(Controller, 'max');

test('the load brings contacts, conversations and the unread total', async () => {
  const { controller } = await started();
  assert.equal(controller.chat.unreadTotal, 1);
  assert.equal(controller.chat.contacts[0].favorite, true);
  assert.equal(controller.chat.directs.get('u2'), 'c1');
});

test('a new message counts once, even when replayed, and is acknowledged as delivered', async () => {
  const { controller, socket } = await started();
  const unread = next(controller, 'unread');
  socket.frame(20, 'message.created', message(4));
  await unread;
  assert.equal(controller.chat.unreadTotal, 2);
  socket.frame(21, 'message.created', message(4));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(controller.chat.unreadTotal, 2, 'a replay does not count');
  const delivered = requests.filter((r) => r.path === '/api/v1/conversations/c1/delivered');
  assert.deepEqual(delivered.map((r) => JSON.parse(r.body)), [{ up_to: 'm4' }]);
});

test('reading on another device clears the count here', async () => {
  const { controller, socket } = await started();
  const unread = next(controller, 'unread');
  socket.frame(22, 'conversation.read', { conversation_id: 'c1', up_to: 'm3', unread: 0, unread_total: 0 });
  await unread;
  assert.equal(controller.chat.unreadTotal, 0);
  assert.equal(controller.chat.conversations.get('c1').members.find((m) => m.user_id === 'u1').read_up_to, 'm3');
});

test('marking read sends the newest message id and clears the count at once', async () => {
  const { controller } = await started();
  await controller.chat.loadHistory('c1');
  controller.chat.markRead('c1');
  assert.equal(controller.chat.unreadTotal, 0);
  const read = requests.filter((r) => r.path === '/api/v1/conversations/c1/read');
  assert.deepEqual(read.map((r) => JSON.parse(r.body)), [{ up_to: 'm3' }]);
  controller.chat.markRead('c1');
  assert.equal(requests.filter((r) => r.path === '/api/v1/conversations/c1/read').length, 1, 'not twice');
});

test('a send shows at once and becomes the stored message with the same client id', async () => {
  const { controller, socket } = await started();
  await controller.chat.loadHistory('c1');
  let clientId = null;
  const originalFetch = globalThis.fetch;
  globalThis.fetch = async (path, init) => {
    if (String(path).endsWith('/c1/messages') && init?.method === 'POST') {
      clientId = JSON.parse(init.body).client_id;
      const pending = controller.chat.history('c1').messages.at(-1);
      assert.equal(pending.pending, true);
      assert.equal(pending.client_id, clientId);
      // The event arrives before the answer.
      socket.frame(30, 'message.created', message(4, { author_id: 'u1', client_id: clientId, text: 'hello' }));
      return new Response(JSON.stringify(message(4, { author_id: 'u1', client_id: clientId, text: 'hello' })), { status: 201, headers: { 'Content-Type': 'application/json' } });
    }
    return originalFetch(path, init);
  };
  await controller.chat.send('c1', 'hello');
  const list = controller.chat.history('c1').messages;
  assert.deepEqual(list.map((m) => m.id), ['m1', 'm2', 'm3', 'm4']);
  assert.equal(list.at(-1).pending, undefined);
  assert.equal(controller.chat.unreadTotal, 1, 'my own message does not count');
});

test('typing frames go out at most every three seconds; others typing is shown', async () => {
  const { controller, socket } = await started();
  controller.chat.announceTyping('c1');
  controller.chat.announceTyping('c1');
  assert.equal(socket.sent.filter((f) => f.type === 'conversation.typing').length, 1);
  const typing = next(controller, 'typing');
  socket.frame(31, 'conversation.typing', { conversation_id: 'c1', user_id: 'u2' });
  assert.equal(await typing, 'c1');
  assert.ok(controller.chat.typing.get('c1').get('u2') > Date.now());
});

test('drafts are kept per conversation and forgotten at sign-out', async () => {
  const { controller, socket } = await started();
  controller.chat.saveDraft('c1', 'half a thought');
  controller.chat.saveDraft('c2', 'another');
  controller.chat.saveDraft('c2', '');
  assert.equal(controller.chat.draft('c1'), 'half a thought');
  assert.equal(controller.chat.draft('c2'), '');
  const out = next(controller, 'signed-out');
  socket.close(4401);
  await out;
  assert.equal(localStorage.getItem('teamline.drafts'), null);
});

test('a message that arrives while the history loads is not lost', async () => {
  const { controller, socket } = await started();
  const originalFetch = globalThis.fetch;
  globalThis.fetch = async (path, init) => {
    if (String(path).includes('/c1/messages?')) {
      // The page was read before message 4 was stored; its event comes while the answer travels.
      socket.frame(40, 'message.created', message(4));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return originalFetch(path, init);
  };
  await controller.chat.loadHistory('c1');
  assert.deepEqual(controller.chat.history('c1').messages.map((m) => m.id), ['m1', 'm2', 'm3', 'm4']);
});
