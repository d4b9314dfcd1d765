// @ts-check
/// <reference lib="webworker" />
/**
 * Teamline service worker: keeps the app shell in a cache so the app starts offline, leaves
 * the API alone, and shows push notifications (extended by later features).
 * Bump CACHE_VERSION whenever a file of the shell changes.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

const CACHE_VERSION = 'v7';
const CACHE = `teamline-shell-${CACHE_VERSION}`;

/** Everything the app needs to start; tests/js/sw.test.mjs checks that no file is missing. */
const SHELL = [
  '/',
  '/manifest.webmanifest',
  '/static/css/tokens.css',
  '/static/css/base.css',
  '/static/css/app.css',
  '/static/icons/icon.svg',
  '/static/icons/icon-maskable.svg',
  '/static/icons/icon-192.png',
  '/static/icons/icon-512.png',
  '/static/icons/icon-maskable-512.png',
  '/static/js/activity.js',
  '/static/js/app.js',
  '/static/js/controller.js',
  '/static/js/controller-chat.js',
  '/static/js/controller-groups.js',
  '/static/js/controller-records.js',
  '/static/js/dom.js',
  '/static/js/event-socket.js',
  '/static/js/i18n.js',
  '/static/js/push.js',
  '/static/js/theme.js',
  '/static/js/components/avatar.js',
  '/static/js/components/icons.js',
  '/static/js/components/segmented.js',
  '/static/js/components/sheet.js',
  '/static/js/components/toast.js',
  '/static/js/locales/de.js',
  '/static/js/locales/en.js',
  '/static/js/logic/api-error.js',
  '/static/js/logic/backoff.js',
  '/static/js/logic/chat.js',
  '/static/js/logic/contact-list.js',
  '/static/js/logic/contacts.js',
  '/static/js/logic/countdown.js',
  '/static/js/logic/device-name.js',
  '/static/js/logic/journal.js',
  '/static/js/logic/match.js',
  '/static/js/logic/pairing-code.js',
  '/static/js/logic/phonebook.js',
  '/static/js/logic/presence.js',
  '/static/js/logic/search.js',
  '/static/js/logic/time.js',
  '/static/js/views/bottom-nav.js',
  '/static/js/views/brand.js',
  '/static/js/views/chat-message.js',
  '/static/js/views/chat-notice.js',
  '/static/js/views/chat.js',
  '/static/js/views/contact-details.js',
  '/static/js/views/contact-item.js',
  '/static/js/views/contacts.js',
  '/static/js/views/devices.js',
  '/static/js/views/empty-area.js',
  '/static/js/views/error-text.js',
  '/static/js/views/group-avatar.js',
  '/static/js/views/group-sheets.js',
  '/static/js/views/journal-detail.js',
  '/static/js/views/journal.js',
  '/static/js/views/pair-mobile.js',
  '/static/js/views/pairing-page.js',
  '/static/js/views/phonebook-entry.js',
  '/static/js/views/phonebook-import.js',
  '/static/js/views/phonebook.js',
  '/static/js/views/presence-picker.js',
  '/static/js/views/profile-header.js',
  '/static/js/views/qr-scanner.js',
  '/static/js/views/routes.js',
  '/static/js/views/search-actions.js',
  '/static/js/views/search.js',
  '/static/js/views/settings-avatar.js',
  '/static/js/views/settings-password.js',
  '/static/js/views/settings-preferences.js',
  '/static/js/views/settings.js',
  '/static/js/views/shell.js',
  '/static/js/views/signin.js',
];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('teamline-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (fresh HTML), the cached shell when offline.
    event.respondWith(fetch(request).catch(async () => (await caches.match('/')) ?? Response.error()));
    return;
  }
  if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    // Static files are versioned by CACHE_VERSION: cache first, and remember late loads (jsQR).
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
            return response;
          }),
      ),
    );
  }
});

/**
 * A push from the server (CHAT-4): `message` shows the conversation's notification, one per
 * conversation (tag = conversation id, so a newer message replaces it); `read` (the
 * conversation was read on another device) closes it. Both set the app badge to the unread
 * total (CHAT-3).
 * @typedef {{type?: string, conversation_id?: string, message_id?: string, title?: string,
 *   body?: string, unread_total?: number, url?: string}} PushPayload
 */

/** @param {PushMessageData | null} data @returns {PushPayload} */
function readPush(data) {
  try {
    return data?.json() ?? {};
  } catch {
    return { body: data?.text() };
  }
}

/** @param {number | undefined} total */
async function showBadge(total) {
  if (typeof total !== 'number') return;
  const nav = /** @type {any} */ (sw.navigator);
  try {
    if (total > 0) await nav.setAppBadge?.(total);
    else await nav.clearAppBadge?.();
  } catch {
    // The badge is decoration: no support or no permission is fine.
  }
}

/** @param {PushPayload} payload */
async function handlePush(payload) {
  const tag = payload.conversation_id;
  if (payload.type === 'read') {
    const shown = tag ? await sw.registration.getNotifications({ tag }) : [];
    for (const notification of shown) notification.close();
    await showBadge(payload.unread_total);
    return;
  }
  await showBadge(payload.unread_total);
  const windows = await sw.clients.matchAll({ type: 'window' });
  // The app is on screen: it shows the message itself (the server rarely pushes then).
  if (windows.some((client) => client.focused)) return;
  await sw.registration.showNotification(payload.title || 'Teamline', {
    body: payload.body ?? '',
    tag,
    // @ts-ignore: renotify is not in every lib.dom yet
    renotify: Boolean(tag),
    icon: '/static/icons/icon-192.png',
    badge: '/static/icons/icon-192.png',
    data: { url: payload.url ?? '/', conversation_id: tag ?? null },
  });
}

sw.addEventListener('push', (event) => {
  event.waitUntil(handlePush(readPush(event.data)));
});

/** A tap opens the conversation: in an open window of the app, else in a new one. */
sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? '/', location.origin).href;
  event.waitUntil(
    sw.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      const open = windows.find((client) => new URL(client.url).origin === location.origin);
      if (!open) return sw.clients.openWindow(target);
      // Focus first: it needs the user activation of the click, which navigating may outlast.
      const focused = await open.focus();
      try {
        await (focused ?? open).navigate(target);
      } catch {
        // A window this worker does not control cannot be navigated: open the conversation anew.
        await sw.clients.openWindow(target);
      }
    }),
  );
});
