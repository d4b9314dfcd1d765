// The service worker's push handling (CHAT-4) and app badge (CHAT-3), run in a fake worker scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { STATIC } from './paths.mjs';

const source = readFileSync(join(STATIC, 'sw.js'), 'utf8');
const ORIGIN = 'https://teamline.example';

/** Loads sw.js into a scope with a notification tray, a badge and windows. */
function worker({ windows = [] } = {}) {
  const listeners = {};
  const tray = [];
  const badge = { value: null };
  const opened = [];
  const registration = {
    async showNotification(title, options) {
      // Like browsers: a notification with the tag of a shown one replaces it.
      const index = tray.findIndex((n) => options.tag && n.tag === options.tag);
      const notification = { title, ...options, close: () => tray.splice(tray.indexOf(notification), 1) };
      if (index >= 0) tray.splice(index, 1, notification);
      else tray.push(notification);
    },
    async getNotifications({ tag } = {}) {
      return tray.filter((n) => tag === undefined || n.tag === tag);
    },
  };
  const self = {
    addEventListener: (type, listener) => {
      listeners[type] = listener;
    },
    registration,
    clients: {
      matchAll: async () => windows,
      openWindow: async (url) => opened.push(url),
    },
    navigator: {
      setAppBadge: async (n) => {
        badge.value = n;
      },
      clearAppBadge: async () => {
        badge.value = 0;
      },
    },
  };
  vm.runInContext(source, vm.createContext({ self, location: new URL(ORIGIN), URL, console }));

  async function dispatch(type, event) {
    const pending = [];
    listeners[type]({ ...event, waitUntil: (promise) => pending.push(promise) });
    await Promise.all(pending);
  }
  const push = (payload) => dispatch('push', { data: { json: () => payload, text: () => JSON.stringify(payload) } });
  return { tray, badge, opened, push, dispatch };
}

const message = (conversation, n, extra = {}) => ({
  type: 'message',
  conversation_id: conversation,
  message_id: `m${n}`,
  title: 'Max-Andreas Mustermann',
  body: `Nachricht ${n}`,
  unread_total: n,
  url: `/#/chat/${conversation}`,
  ...extra,
});

test('a message push shows one notification per conversation and sets the badge', async () => {
  const sw = worker();
  await sw.push(message('c1', 1));
  await sw.push(message('c1', 2));
  await sw.push(message('c2', 3, { title: 'Vertrieb Süd' }));
  assert.deepEqual(
    sw.tray.map((n) => [n.tag, n.title, n.body]),
    [
      ['c1', 'Max-Andreas Mustermann', 'Nachricht 2'],
      ['c2', 'Vertrieb Süd', 'Nachricht 3'],
    ],
  );
  assert.equal(sw.tray[0].renotify, true, 'a newer message in the same conversation alerts again');
  assert.equal(sw.tray[0].data.url, '/#/chat/c1');
  assert.equal(sw.badge.value, 3);
});

test('a read push closes that conversation only and updates the badge', async () => {
  const sw = worker();
  await sw.push(message('c1', 1));
  await sw.push(message('c2', 2));
  await sw.push({ type: 'read', conversation_id: 'c1', unread_total: 1 });
  assert.deepEqual(sw.tray.map((n) => n.tag), ['c2']);
  assert.equal(sw.badge.value, 1);
  await sw.push({ type: 'read', conversation_id: 'c2', unread_total: 0 });
  assert.deepEqual(sw.tray, []);
  assert.equal(sw.badge.value, 0, 'the badge is cleared');
});

test('no notification while the app has the focus, but the badge follows', async () => {
  const sw = worker({ windows: [{ url: `${ORIGIN}/chat`, focused: true }] });
  await sw.push(message('c1', 4));
  assert.deepEqual(sw.tray, []);
  assert.equal(sw.badge.value, 4);
});

test('a tap focuses an open window and opens the conversation there', async () => {
  const calls = [];
  const open = {
    url: `${ORIGIN}/contacts`,
    focus: async () => {
      calls.push('focus');
      return open;
    },
    navigate: async (url) => {
      calls.push(`navigate ${url}`);
      return open;
    },
  };
  const sw = worker({ windows: [{ url: 'https://elsewhere.example/' }, open] });
  await sw.push(message('c1', 1));
  const [notification] = sw.tray;
  await sw.dispatch('notificationclick', { notification });
  assert.deepEqual(calls, ['focus', `navigate ${ORIGIN}/#/chat/c1`]);
  assert.deepEqual(sw.tray, [], 'the tapped notification is closed');
  assert.deepEqual(sw.opened, []);
});

test('a tap without an open window opens one on the conversation', async () => {
  const sw = worker();
  await sw.push(message('c9', 1));
  await sw.dispatch('notificationclick', { notification: sw.tray[0] });
  assert.deepEqual(sw.opened, [`${ORIGIN}/#/chat/c9`]);
});
