// @ts-check
/**
 * Web Push for this device (CHAT-4): once notifications are allowed, the browser subscribes
 * with the server's VAPID key and the server stores the subscription for this device; on
 * sign-out both forget it. Everything here is best effort: without push the app still works.
 */

/**
 * @typedef {{request: (method: string, path: string, options?: {json?: unknown}) => Promise<any>, signedIn: boolean}} Api
 * @typedef {{navigator?: any, Notification?: any, PushManager?: any}} Env
 */

/** @param {Env} [env] */
function environment(env = globalThis) {
  const nav = env.navigator;
  const notification = env.Notification;
  const supported = Boolean(nav?.serviceWorker && notification && env.PushManager);
  return { nav, notification, supported };
}

/**
 * The application server key from GET /push/key (base64url) as PushManager wants it.
 * @param {string} text
 */
export function keyBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * @param {ArrayBuffer | null | undefined} current
 * @param {Uint8Array} wanted
 */
function sameKey(current, wanted) {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((b, i) => b === wanted[i]);
}

/**
 * Subscribes this device when notifications are allowed; replaces a subscription made with
 * another server key. Resolves with whether the device is subscribed now.
 * @param {Api} api
 * @param {Env} [env]
 */
export async function subscribeDevice(api, env) {
  const { nav, notification, supported } = environment(env);
  if (!supported || notification.permission !== 'granted' || !api.signedIn) return false;
  const registration = await nav.serviceWorker.ready;
  const { public_key: publicKey } = await api.request('GET', '/api/v1/push/key');
  const key = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options?.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await api.request('PUT', '/api/v1/push/subscription', { json: subscription.toJSON() });
  return true;
}

/**
 * Before signing out: the server stops pushing to this device, the browser drops the
 * subscription (the next user of this browser subscribes anew).
 * @param {Api} api
 * @param {Env} [env]
 */
export async function unsubscribeDevice(api, env) {
  const { nav, supported } = environment(env);
  if (!supported) return;
  try {
    await api.request('DELETE', '/api/v1/push/subscription');
  } catch {
    // Offline: signing out revokes the device, and the server skips revoked devices.
  }
  const registration = await nav.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  await subscription?.unsubscribe();
}

/**
 * Asks for permission to notify, if not decided yet. Call it straight from a user gesture
 * (browsers ignore the request otherwise); subscribes once allowed and signed in.
 * @param {Api} api
 * @param {Env} [env]
 */
export function offerNotifications(api, env) {
  const { notification, supported } = environment(env);
  if (!supported || notification.permission !== 'default') return;
  Promise.resolve(notification.requestPermission())
    .then((answer) => (answer === 'granted' ? subscribeDevice(api, env) : false))
    .catch(() => {});
}
