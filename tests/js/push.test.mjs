// push.js: subscribing this device for Web Push (CHAT-4), with fake browser parts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyBytes, offerNotifications, subscribeDevice, unsubscribeDevice } from '../../src/teamline/web/static/js/push.js';

const KEY = 'BAECAwQ'; // base64url of the bytes 4, 1, 2, 3, 4

function browser({ permission = 'granted', existing = null, answer = 'granted' } = {}) {
  const log = [];
  const manager = {
    current: existing,
    async getSubscription() {
      return this.current;
    },
    async subscribe(options) {
      log.push(['subscribe', [...options.applicationServerKey], options.userVisibleOnly]);
      this.current = subscription([...options.applicationServerKey], 'https://push.example/new');
      return this.current;
    },
  };
  function subscription(key, endpoint) {
    return {
      options: { applicationServerKey: new Uint8Array(key).buffer },
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: 'p', auth: 'a' } }),
      unsubscribe: async () => {
        log.push(['unsubscribe', endpoint]);
        manager.current = null;
        return true;
      },
    };
  }
  const registration = { pushManager: manager };
  const env = {
    navigator: { serviceWorker: { ready: Promise.resolve(registration), getRegistration: async () => registration } },
    Notification: {
      permission,
      requestPermission: async () => {
        log.push(['ask']);
        env.Notification.permission = answer;
        return answer;
      },
    },
    PushManager: function PushManager() {},
  };
  const api = {
    signedIn: true,
    async request(method, path, options) {
      log.push([method, path, options?.json ?? null]);
      return path === '/api/v1/push/key' ? { public_key: KEY } : null;
    },
  };
  return { env, api, log, subscription, manager };
}

test('the VAPID key is decoded from base64url', () => {
  assert.deepEqual([...keyBytes(KEY)], [4, 1, 2, 3, 4]);
  assert.deepEqual([...keyBytes('-_8')], [251, 255]);
});

test('with permission the device subscribes with the server key and tells the server', async () => {
  const { env, api, log } = browser();
  assert.equal(await subscribeDevice(api, env), true);
  assert.deepEqual(log, [
    ['GET', '/api/v1/push/key', null],
    ['subscribe', [4, 1, 2, 3, 4], true],
    ['PUT', '/api/v1/push/subscription', { endpoint: 'https://push.example/new', expirationTime: null, keys: { p256dh: 'p', auth: 'a' } }],
  ]);
});

test('a subscription made with another key is replaced, one with this key is kept', async () => {
  const stale = browser();
  stale.manager.current = stale.subscription([4, 9, 9], 'https://push.example/old');
  await subscribeDevice(stale.api, stale.env);
  assert.deepEqual(stale.log.map((entry) => entry[0]), ['GET', 'unsubscribe', 'subscribe', 'PUT']);

  const fine = browser();
  fine.manager.current = fine.subscription([4, 1, 2, 3, 4], 'https://push.example/kept');
  await subscribeDevice(fine.api, fine.env);
  assert.deepEqual(fine.log.map((entry) => entry[0]), ['GET', 'PUT']);
  assert.equal(fine.log[1][2].endpoint, 'https://push.example/kept');
});

test('nothing happens without permission or without push support', async () => {
  for (const permission of ['default', 'denied']) {
    const { env, api, log } = browser({ permission });
    assert.equal(await subscribeDevice(api, env), false);
    assert.deepEqual(log, []);
  }
  const { api, log } = browser();
  assert.equal(await subscribeDevice(api, { navigator: {}, Notification: undefined }), false);
  await unsubscribeDevice(api, { navigator: {} });
  assert.deepEqual(log, []);
});

test('asking for permission subscribes once granted', async () => {
  const granted = browser({ permission: 'default' });
  offerNotifications(granted.api, granted.env);
  for (let turn = 0; turn < 50 && !granted.log.some((entry) => entry[0] === 'PUT'); turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(granted.log.some((entry) => entry[0] === 'PUT'), 'subscribed');
  assert.deepEqual(granted.log[0], ['ask']);

  const denied = browser({ permission: 'default', answer: 'denied' });
  offerNotifications(denied.api, denied.env);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(denied.log, [['ask']]);

  const decided = browser({ permission: 'denied' });
  offerNotifications(decided.api, decided.env);
  assert.deepEqual(decided.log, [], 'a decision is never asked again');
});

test('signing out drops the subscription on the server and in the browser', async () => {
  const { env, api, log, manager, subscription } = browser();
  manager.current = subscription([4, 1, 2, 3, 4], 'https://push.example/mine');
  await unsubscribeDevice(api, env);
  assert.deepEqual(log, [
    ['DELETE', '/api/v1/push/subscription', null],
    ['unsubscribe', 'https://push.example/mine'],
  ]);
});
