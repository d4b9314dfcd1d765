// @ts-check
/**
 * Starts the client: applies language and theme, picks the screen from the path (/pair, the
 * sign-in, or an area of the app) and keeps it in step with the session.
 */
import { Controller } from './controller.js';
import { getLanguage, pickLanguage, setLanguage, t } from './i18n.js';
import { applyTheme } from './theme.js';
import { trackActivity } from './activity.js';
import { AREAS } from './views/bottom-nav.js';
import { mountShell } from './views/shell.js';
import { mountSignIn } from './views/signin.js';
import { mountPairingPage } from './views/pairing-page.js';
import { chatIdFromLocation, chatPath } from './views/routes.js';

/** @typedef {import('./views/bottom-nav.js').Area} Area */

const controller = new Controller();
const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/** @type {{kind: 'shell' | 'signin' | 'pair', unmount: () => void, show?: (area: Area) => void} | null} */
let view = null;
/** @type {string | null} a message for the sign-in screen, e.g. "this device was unpaired" */
let notice = null;

const isPairPath = () => location.pathname === '/pair' || location.pathname.startsWith('/pair/');

/** @returns {Area} */
function areaFromPath() {
  const name = location.pathname.split('/')[1];
  return /** @type {Area} */ (AREAS.find(([area]) => area === name)?.[0] ?? 'contacts');
}

/** Language and theme from my settings, or from the browser before sign-in. */
function applyPreferences() {
  const settings = controller.signedIn ? controller.settings : null;
  setLanguage(settings?.language ?? pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]));
  document.documentElement.lang = getLanguage();
  document.title = `Teamline`;
  applyTheme(settings?.theme);
}

/** @param {Area} area */
function navigate(area) {
  if (location.pathname !== `/${area}`) history.pushState(null, '', `/${area}`);
  render();
}

function render() {
  const kind = isPairPath() ? 'pair' : controller.signedIn ? 'shell' : 'signin';
  if (view?.kind === 'shell' && kind === 'shell') {
    view.show?.(areaFromPath());
    return;
  }
  if (view?.kind === kind && kind !== 'signin') return;
  view?.unmount();
  if (kind === 'pair') {
    view = { kind, unmount: mountPairingPage(root, controller) };
  } else if (kind === 'signin') {
    view = { kind, unmount: mountSignIn(root, controller, { notice }) };
  } else {
    const shell = mountShell(root, controller, { area: areaFromPath(), navigate });
    view = { kind, unmount: shell.unmount, show: shell.show };
  }
}

/** Re-creates the current screen, e.g. after the language changed or a sign-out. */
function rerender() {
  // Sheets live outside the screen; one left open would float over the next screen.
  for (const dialog of document.querySelectorAll('dialog')) if (dialog.open) dialog.close();
  view?.unmount();
  view = null;
  render();
}

function startSession() {
  controller.start().catch(() => {
    // Offline: the cached profile stays on screen; the socket keeps retrying.
  });
}

controller.addEventListener('signed-in', () => {
  notice = null;
  if (isPairPath() || location.pathname === '/') history.replaceState(null, '', '/contacts');
  applyPreferences();
  shownLanguage = getLanguage();
  rerender();
  startSession();
});

controller.addEventListener('signed-out', (event) => {
  const reason = /** @type {CustomEvent<string>} */ (event).detail;
  applyPreferences();
  notice = reason === 'revoked' ? t('signin.revoked') : reason === 'expired' ? t('signin.expired') : null;
  shownLanguage = getLanguage();
  if (!isPairPath()) history.replaceState(null, '', '/');
  rerender();
});

let shownLanguage = getLanguage();
controller.addEventListener('settings', () => {
  if (!controller.signedIn) return;
  applyPreferences();
  activity.rearm();
  if (getLanguage() !== shownLanguage) rerender();
  shownLanguage = getLanguage();
});

// Tests and styles can tell when the first data has arrived.
controller.addEventListener('users', () => {
  document.body.dataset.loaded = String(controller.loaded);
});
controller.addEventListener('signed-out', () => {
  delete document.body.dataset.loaded;
});

controller.addEventListener('connection', () => {
  if (controller.connection === 'online' && !controller.loaded) controller.load().catch(() => {});
});

/** `#/chat/<id>` (from a notification or a link) becomes the conversation's own address. */
function adoptChatHash() {
  const id = location.hash.startsWith('#/chat/') ? chatIdFromLocation() : null;
  if (id) history.replaceState(null, '', chatPath(id));
}

window.addEventListener('popstate', render);
window.addEventListener('hashchange', () => {
  adoptChatHash();
  render();
});
window.addEventListener('online', () => controller.reconnectNow());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') controller.reconnectNow();
});

const activity = trackActivity({
  idleSeconds: () => controller.settings?.auto_away_seconds ?? 0,
  onChange: (state) => controller.setClientState(state),
});
controller.clientState = activity.state();

applyPreferences();
shownLanguage = getLanguage();
adoptChatHash();
render();
if (controller.signedIn && !isPairPath()) startSession();

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // Without a service worker the app still works, only not offline.
  });
}
