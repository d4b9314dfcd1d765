// @ts-check
/**
 * Chat rules without DOM (CHAT-3, CHAT-6, CHAT-8): merging messages that arrive from the REST
 * answer, the event socket and the optimistic send; unread counting that tolerates replays;
 * receipts; the typing throttle; clickable links and numbers.
 */

/**
 * @typedef {{id: string, name: string, content_type: string, size: number, image: boolean,
 *   width: number | null, height: number | null}} Attachment
 * @typedef {{emoji: string, user_ids: string[]}} Reaction
 * @typedef {{id: string, conversation_id: string, author_id: string, text: string,
 *   client_id: string | null, created_at: string, edited_at: string | null, deleted: boolean,
 *   seq: number, reactions: Reaction[], attachments: Attachment[],
 *   pending?: boolean, failed?: boolean, attachment_ids?: string[]}} Message
 *   `pending`/`failed` mark an own message not yet answered by the server (then `id` is
 *   "local:<client_id>" and `seq` 0).
 * @typedef {{user_id: string, read_up_to: string | null, delivered_up_to: string | null}} Member
 * @typedef {{id: string, kind: 'direct' | 'group', title: string, unread: number, muted: boolean,
 *   last_message: Message | null, group_id?: string | null, peer_id?: string | null,
 *   members?: Member[], last_activity_at?: string | null, last_seq?: number}} Conversation
 * @typedef {'sending' | 'failed' | 'sent' | 'delivered' | 'read'} Receipt
 * @typedef {{kind: 'text', text: string} | {kind: 'url', text: string, href: string}
 *   | {kind: 'phone', text: string, number: string}} Token
 */

/** How often the typing frame may go out (the server drops more). */
export const TYPING_SEND_MS = 3000;
/** How long "X is typing…" stays without a new frame. */
export const TYPING_SHOW_MS = 6000;
/** The reactions offered in the message menu. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '🎉', '🙏'];

/**
 * Orders messages: by sequence, unsent ones (no sequence yet) last in the order they were sent.
 * @param {Message} a
 * @param {Message} b
 */
function bySeq(a, b) {
  const sa = a.seq || Number.MAX_SAFE_INTEGER;
  const sb = b.seq || Number.MAX_SAFE_INTEGER;
  return sa - sb;
}

/**
 * Merges messages into a history: one entry per id, a server message replaces the optimistic
 * one with the same client_id, order by sequence. Returns a new array.
 * @param {readonly Message[]} list
 * @param {readonly Message[]} incoming
 * @returns {Message[]}
 */
export function mergeMessages(list, incoming) {
  const next = [...list];
  for (const message of incoming) {
    let at = next.findIndex((m) => m.id === message.id);
    // client ids are unique per author: the optimistic copy, the answer and the event are one.
    if (at < 0 && message.client_id) {
      at = next.findIndex((m) => m.client_id === message.client_id && m.author_id === message.author_id);
    }
    if (at >= 0) next[at] = message;
    else next.push(message);
  }
  return next.sort(bySeq);
}

/**
 * A message as it looks when deleted.
 * @param {Message} message
 * @returns {Message}
 */
export function asDeleted(message) {
  return { ...message, deleted: true, text: '', attachments: [], reactions: [] };
}

/**
 * The unread count after a message arrived. Counting is by sequence number, so a message that
 * is replayed (after a reconnect or a reload) is not counted twice; my own messages never count.
 * @param {{unread: number, last_seq?: number}} conversation
 * @param {Message} message
 * @param {string | null} meId
 * @returns {{unread: number, last_seq: number}}
 */
export function countIncoming(conversation, message, meId) {
  const lastSeq = conversation.last_seq ?? 0;
  if (!message.seq || message.seq <= lastSeq) return { unread: conversation.unread, last_seq: lastSeq };
  const mine = message.author_id === meId;
  return { unread: mine ? conversation.unread : conversation.unread + 1, last_seq: message.seq };
}

/**
 * The total of unread messages over all conversations (the number on my avatar and the badge).
 * @param {Iterable<{unread: number}>} conversations
 * @returns {number}
 */
export function unreadTotal(conversations) {
  let total = 0;
  for (const c of conversations) total += Math.max(0, c.unread || 0);
  return total;
}

/**
 * The newest message others wrote that this device has, for the read and delivery markers.
 * @param {readonly Message[]} messages
 * @param {string | null} meId
 * @returns {Message | null}
 */
export function newestFromOthers(messages, meId) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m.pending && m.seq && m.author_id !== meId) return m;
  }
  return null;
}

/**
 * The newest message that came from the server (for "read up to").
 * @param {readonly Message[]} messages
 * @returns {Message | null}
 */
export function newestStored(messages) {
  for (let i = messages.length - 1; i >= 0; i--) if (!messages[i].pending && messages[i].seq) return messages[i];
  return null;
}

/**
 * The receipt of one of my messages: sent, delivered to every other member, read by all.
 * `seqOf` maps a message id to its sequence number (0 when unknown).
 * @param {Message} message
 * @param {readonly Member[] | undefined} members
 * @param {string | null} meId
 * @param {(id: string | null) => number} seqOf
 * @returns {Receipt}
 */
export function receiptOf(message, members, meId, seqOf) {
  if (message.failed) return 'failed';
  if (message.pending || !message.seq) return 'sending';
  const others = (members ?? []).filter((m) => m.user_id !== meId);
  if (others.length === 0) return 'sent';
  const reached = (/** @type {string | null} */ id) => seqOf(id) >= message.seq;
  if (others.every((m) => reached(m.read_up_to))) return 'read';
  if (others.every((m) => reached(m.delivered_up_to) || reached(m.read_up_to))) return 'delivered';
  return 'sent';
}

/**
 * Applies a receipt event to the member list. Markers only move forward.
 * @param {readonly Member[] | undefined} members
 * @param {{user_id: string, read_up_to?: string | null, delivered_up_to?: string | null}} receipt
 * @param {(id: string | null) => number} seqOf
 * @returns {Member[]}
 */
export function applyReceipt(members, receipt, seqOf) {
  const list = [...(members ?? [])];
  const at = list.findIndex((m) => m.user_id === receipt.user_id);
  const old = at >= 0 ? list[at] : { user_id: receipt.user_id, read_up_to: null, delivered_up_to: null };
  const later = (/** @type {string | null} */ a, /** @type {string | null | undefined} */ b) => (b && (!a || seqOf(b) >= seqOf(a)) ? b : a);
  const next = { ...old, read_up_to: later(old.read_up_to, receipt.read_up_to), delivered_up_to: later(old.delivered_up_to, receipt.delivered_up_to) };
  if (at >= 0) list[at] = next;
  else list.push(next);
  return list;
}

/**
 * True when a typing frame may go out now.
 * @param {number} lastSent epoch ms of the last frame, 0 for never
 * @param {number} now
 */
export function mayAnnounceTyping(lastSent, now) {
  return now - lastSent >= TYPING_SEND_MS;
}

/**
 * Who is typing right now, from user id → when their frame expires.
 * @param {Map<string, number> | undefined} typing
 * @param {number} now
 * @returns {string[]}
 */
export function activeTypists(typing, now) {
  return [...(typing ?? new Map())].filter(([, until]) => until > now).map(([id]) => id);
}

/**
 * Toggles my reaction locally (shown at once, the server's answer follows).
 * @param {readonly Reaction[]} reactions
 * @param {string} emoji
 * @param {string} meId
 * @returns {Reaction[]}
 */
export function toggleReaction(reactions, emoji, meId) {
  const list = reactions.map((r) => ({ emoji: r.emoji, user_ids: [...r.user_ids] }));
  const found = list.find((r) => r.emoji === emoji);
  if (!found) return [...list, { emoji, user_ids: [meId] }];
  found.user_ids = found.user_ids.includes(meId) ? found.user_ids.filter((id) => id !== meId) : [...found.user_ids, meId];
  return list.filter((r) => r.user_ids.length > 0);
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
// Numbers to dial: start with + or 0, at least six digits, spaces, dashes, slashes, parentheses inside.
const PHONE_RE = /(?<![\p{L}\p{N}+])(?:\+|0)[\d(][\d ()/-]{3,20}\d(?![\p{L}\p{N}])/gu;
const TRAILING = /^[.,;:!?)\]}'"]$/u;

/** @param {string} text @param {string} ch */
const count = (text, ch) => text.split(ch).length - 1;

/**
 * Splits message text into plain text, links and phone numbers (CHAT-6).
 * @param {string} text
 * @returns {Token[]}
 */
export function linkify(text) {
  /** @type {Array<{start: number, end: number, token: Token}>} */
  const found = [];
  for (const match of text.matchAll(URL_RE)) {
    let raw = match[0];
    while (TRAILING.test(raw.slice(-1))) {
      // A closing parenthesis belongs to the link when the link opened one (Wikipedia style).
      if (raw.endsWith(')') && count(raw, '(') >= count(raw, ')')) break;
      raw = raw.slice(0, -1);
    }
    const start = match.index ?? 0;
    const href = /^www\./i.test(raw) ? `https://${raw}` : raw;
    found.push({ start, end: start + raw.length, token: { kind: 'url', text: raw, href } });
  }
  for (const match of text.matchAll(PHONE_RE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const digits = match[0].replace(/\D/g, '');
    if (digits.length < 6 || digits.length > 15) continue;
    if (found.some((f) => start < f.end && end > f.start)) continue; // inside a link
    const number = (match[0].startsWith('+') ? '+' : '') + digits;
    found.push({ start, end, token: { kind: 'phone', text: match[0], number } });
  }
  found.sort((a, b) => a.start - b.start);
  /** @type {Token[]} */
  const tokens = [];
  let at = 0;
  for (const f of found) {
    if (f.start < at) continue;
    if (f.start > at) tokens.push({ kind: 'text', text: text.slice(at, f.start) });
    tokens.push(f.token);
    at = f.end;
  }
  if (at < text.length) tokens.push({ kind: 'text', text: text.slice(at) });
  return tokens;
}

/**
 * A file size for people ("1.4 MB").
 * @param {number} bytes
 * @param {string} language
 */
export function formatSize(bytes, language) {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/**
 * A new id for a send, kept across retries so the server stores the message once.
 * @param {() => string} [random]
 */
export function newClientId(random = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`)) {
  return random();
}

/**
 * The message list with day headings and where a run of one author starts (for avatars and names
 * in groups). `dayOf` maps an ISO time to a day key.
 * @param {readonly Message[]} messages
 * @param {(iso: string) => string} dayOf
 * @returns {Array<{kind: 'day', key: string, at: string} | {kind: 'message', message: Message, first: boolean}>}
 */
export function layoutMessages(messages, dayOf) {
  /** @type {Array<{kind: 'day', key: string, at: string} | {kind: 'message', message: Message, first: boolean}>} */
  const items = [];
  let day = '';
  let author = '';
  for (const message of messages) {
    const key = dayOf(message.created_at);
    if (key !== day) {
      items.push({ kind: 'day', key, at: message.created_at });
      day = key;
      author = '';
    }
    items.push({ kind: 'message', message, first: message.author_id !== author });
    author = message.author_id;
  }
  return items;
}

/**
 * Drafts per conversation: a new map without empty texts.
 * @param {Record<string, string>} drafts
 * @param {string} conversationId
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function withDraft(drafts, conversationId, text) {
  const next = { ...drafts };
  if (text.trim()) next[conversationId] = text;
  else delete next[conversationId];
  return next;
}
