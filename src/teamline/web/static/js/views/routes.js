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
 * The message the address asks the chat to show (`/chat/<id>?m=<message id>`), or null.
 * @param {{search: string}} [where]
 * @returns {string | null}
 */
export function chatTargetFromLocation(where = location) {
  return new URLSearchParams(where.search).get('m');
}

/**
 * Opens a conversation's screen, at ``messageId`` when given (a search hit); the back button
 * returns to where the person was.
 * @param {string} conversationId
 * @param {string | null} [messageId]
 */
export function openChatScreen(conversationId, messageId = null) {
  const path = chatPath(conversationId) + (messageId ? `?m=${encodeURIComponent(messageId)}` : '');
  if (location.pathname + location.search !== path) history.pushState({ chatFrom: location.pathname }, '', path);
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
