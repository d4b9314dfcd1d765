// @ts-check
/**
 * Addresses inside the app beyond the six areas: a conversation lives at `/chat/<id>` (push
 * notifications and links open it; `#/chat/<id>` on any page is read the same way).
 * Changing the address dispatches "popstate", which the app answers by showing the screen.
 */

/** @param {string} conversationId */
export function chatPath(conversationId) {
  return `/chat/${encodeURIComponent(conversationId)}`;
}

/**
 * The conversation the address names, or null.
 * @param {{pathname: string, hash: string}} [where]
 * @returns {string | null}
 */
export function chatIdFromLocation(where = location) {
  const match = where.pathname.match(/^\/chat\/([^/]+)\/?$/) ?? where.hash.match(/^#\/chat\/([^/]+)\/?$/);
  return match ? decodeURIComponent(match[1]) : null;
}

/**
 * Opens a conversation's screen; the back button returns to where the person was.
 * @param {string} conversationId
 */
export function openChatScreen(conversationId) {
  const path = chatPath(conversationId);
  if (location.pathname !== path) history.pushState({ chatFrom: location.pathname }, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** true between a step back and its popstate: a second call then must not step back again */
let goingBack = false;

/** Leaves the chat screen: back in history when the app opened it, else to the contacts. */
export function leaveChatScreen() {
  if (goingBack || !chatIdFromLocation()) return;
  if (history.state?.chatFrom) {
    goingBack = true;
    window.addEventListener('popstate', () => { goingBack = false; }, { once: true });
    history.back();
    return;
  }
  history.replaceState(null, '', '/contacts');
  window.dispatchEvent(new PopStateEvent('popstate'));
}
