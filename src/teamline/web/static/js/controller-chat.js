// @ts-check
/**
 * The controller's part for the messenger (CHAT, CONT-4 … CONT-9): the contact list from the
 * server, conversations with their unread counts, message histories, sending with client ids,
 * receipts, typing, attachments and drafts (groups: controller-groups.js). Owned by the
 * Controller (`controller.chat`); it tells views about changes through the controller's events
 * "contacts", "conversation" (id), "messages" (conversation id), "unread", "typing"
 * (conversation id), "conversation-removed" (id), "contact-filter" and "incoming"
 * ({conversation, message}: a new message worth an in-app notification).
 */
import {
  TYPING_SHOW_MS, applyReceipt, asDeleted, countIncoming, mayAnnounceTyping, mergeMessages,
  newClientId, newestFromOthers, newestStored, toggleReaction, unreadTotal, withDraft,
} from './logic/chat.js';

/**
 * @typedef {import('./logic/chat.js').Message} Message
 * @typedef {import('./logic/chat.js').Conversation} Conversation
 * @typedef {import('./logic/chat.js').Attachment} Attachment
 * @typedef {import('./logic/contact-list.js').Contact} Contact
 * @typedef {import('./logic/contact-list.js').SmartFilter} SmartFilter
 * @typedef {{messages: Message[], complete: boolean}} History
 */

const enc = encodeURIComponent;
const PAGE = 50;
const DRAFTS = 'teamline.drafts';
/** the contact list and conversations of the last session, for a start without network */
const CACHE = 'teamline.chat';

export class Chat {
  /** @param {import('./controller.js').Controller} controller */
  constructor(controller) {
    this.controller = controller;
    this.reset();
    if (controller.token) this.restore();
    controller.addEventListener('favorite', (event) => this.applyFavorite(/** @type {CustomEvent} */ (event).detail));
  }

  /** Forgets what belongs to the session. */
  reset() {
    /** @type {Contact[] | null} the server's contact list; null until loaded */
    this.contacts = null;
    /** @type {Map<string, Conversation>} */
    this.conversations = new Map();
    /** @type {Map<string, string>} colleague id → our direct conversation */
    this.directs = new Map();
    /** @type {Map<string, History>} */
    this.histories = new Map();
    /** @type {Map<string, Message[]>} messages that arrived while a history was loading */
    this.arriving = new Map();
    /** @type {Map<string, Map<string, number>>} conversation → user → typing until (epoch ms) */
    this.typing = new Map();
    /** @type {Map<string, number>} conversation → when I last announced typing */
    this.typingSent = new Map();
    /** @type {Map<string, string>} conversation → the message id last marked read / delivered */
    this.readSent = new Map();
    this.deliveredSent = new Map();
    /** @type {string | null} the conversation on screen */
    this.openId = null;
    /** @type {SmartFilter} the smart filter of the contact list */
    this.filter = 'all';
    for (const url of this.blobs?.values() ?? []) url.then((u) => u && URL.revokeObjectURL(u));
    /** @type {Map<string, Promise<string | null>>} attachment / group picture → blob URL */
    this.blobs = new Map();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.contactsTimer = undefined;
    this.shownTotal = -1;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.cacheTimer = undefined;
    if (this.controller && !this.controller.token) {
      localStorage.removeItem(DRAFTS);
      localStorage.removeItem(CACHE);
    }
  }

  /** Shows the last known contacts and unread counts until the server answers (offline start). */
  restore() {
    try {
      const cached = JSON.parse(localStorage.getItem(CACHE) ?? 'null');
      if (!cached) return;
      this.contacts = cached.contacts ?? null;
      this.conversations = new Map((cached.conversations ?? []).map((/** @type {Conversation} */ c) => [c.id, c]));
      for (const c of this.conversations.values()) if (c.kind === 'direct' && c.peer_id) this.directs.set(c.peer_id, c.id);
    } catch {
      // A broken cache is only a slower start.
    }
  }

  /** Writes the cache soon; several changes in a row cause one write. */
  saveSoon() {
    clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => {
      if (!this.controller.token) return;
      try {
        localStorage.setItem(CACHE, JSON.stringify({ contacts: this.contacts, conversations: [...this.conversations.values()] }));
      } catch {
        // Storage full: the app works without the cache.
      }
    }, 500);
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{json?: unknown, form?: FormData, body?: BodyInit, contentType?: string}} [options]
   */
  request(method, path, options) {
    return this.controller.request(method, path, options);
  }

  /** @param {string} type @param {unknown} [detail] */
  emit(type, detail) {
    this.controller.emit(type, detail);
  }

  get meId() {
    return this.controller.me?.id ?? null;
  }

  // ---- Loading ----------------------------------------------------------------------------

  /**
   * Reads contacts, conversations and groups; never rejects (a part that fails stays null), so
   * the controller can load it together with the profile.
   * @returns {Promise<{contacts: any, conversations: any, groups: any}>}
   */
  async fetch() {
    const get = (/** @type {string} */ path) => this.request('GET', path).catch(() => null);
    const [contacts, conversations, groups] = await Promise.all([
      get('/api/v1/contacts'),
      get('/api/v1/conversations'),
      get('/api/v1/groups'),
    ]);
    return { contacts, conversations, groups };
  }

  /** @param {{contacts: any, conversations: any, groups: any}} data */
  apply({ contacts, conversations, groups }) {
    if (contacts?.contacts) this.contacts = contacts.contacts;
    if (conversations?.conversations) {
      const next = new Map();
      for (const c of conversations.conversations) next.set(c.id, this.withSeq({ ...this.conversations.get(c.id), ...c }));
      this.conversations = next;
      this.directs = new Map();
      for (const c of next.values()) if (c.kind === 'direct' && c.peer_id) this.directs.set(c.peer_id, c.id);
    }
    if (groups?.groups) this.controller.groups.apply(groups.groups);
    this.emit('contacts');
    this.changedUnread();
  }

  /** Forgets the histories (after a gap in the events): the open chat loads its page again. */
  dropHistories() {
    this.histories = new Map();
    if (this.openId) this.emit('messages', this.openId);
  }

  /** Reloads the contact list soon (several changes in a row cause one request). */
  refreshContactsSoon() {
    clearTimeout(this.contactsTimer);
    this.contactsTimer = setTimeout(async () => {
      const answer = await this.request('GET', '/api/v1/contacts').catch(() => null);
      if (answer?.contacts) {
        this.contacts = answer.contacts;
        this.emit('contacts');
      }
    }, 150);
  }

  /**
   * @param {Conversation} conversation
   * @returns {Conversation}
   */
  withSeq(conversation) {
    const seq = Math.max(conversation.last_seq ?? 0, conversation.last_message?.seq ?? 0);
    return { ...conversation, last_seq: seq };
  }

  // ---- Conversations ----------------------------------------------------------------------

  /**
   * A conversation, from memory or the server.
   * @param {string} id
   * @returns {Promise<Conversation>}
   */
  async conversation(id) {
    const known = this.conversations.get(id);
    if (known?.members) return known;
    const fetched = await this.request('GET', `/api/v1/conversations/${enc(id)}`);
    return this.storeConversation(fetched);
  }

  /**
   * @param {Conversation} data
   * @returns {Conversation}
   */
  storeConversation(data) {
    const old = this.conversations.get(data.id);
    const merged = this.withSeq({ ...old, ...data, last_message: data.last_message ?? old?.last_message ?? null });
    this.conversations.set(data.id, merged);
    if (merged.kind === 'direct' && merged.peer_id) this.directs.set(merged.peer_id, merged.id);
    this.emit('conversation', data.id);
    this.changedUnread();
    return merged;
  }

  /**
   * Opens (creates when needed) the 1:1 conversation with a colleague (CHAT-1).
   * @param {string} userId
   * @returns {Promise<string>} the conversation id
   */
  async openDirect(userId) {
    const known = this.directs.get(userId);
    if (known) return known;
    const conversation = await this.request('POST', '/api/v1/conversations', { json: { user_id: userId } });
    this.storeConversation(conversation);
    this.emit('contacts');
    return conversation.id;
  }

  /** @param {string} id @param {boolean} muted */
  async setMuted(id, muted) {
    await this.request('PUT', `/api/v1/conversations/${enc(id)}/mute`, { json: { muted } });
    const c = this.conversations.get(id);
    if (c) this.storeConversation({ ...c, muted });
    this.controller.groups.setMuted(id, muted);
    this.emit('contacts');
  }

  get unreadTotal() {
    return unreadTotal(this.conversations.values());
  }

  /** Tells the views, and the app badge (Badging API), when the total changed. */
  changedUnread() {
    const total = this.unreadTotal;
    this.emit('unread');
    this.saveSoon();
    if (total === this.shownTotal) return;
    this.shownTotal = total;
    const nav = /** @type {any} */ (globalThis.navigator);
    try {
      if (total > 0) nav?.setAppBadge?.(total)?.catch?.(() => {});
      else nav?.clearAppBadge?.()?.catch?.(() => {});
    } catch {
      // The badge is decoration; browsers without it are fine.
    }
  }

  /** Applies the unread filter to the contact list (a tap on the total on my avatar). */
  showUnread() {
    this.filter = 'unread';
    this.emit('contact-filter');
  }

  // ---- Messages ---------------------------------------------------------------------------

  /**
   * @param {string} id
   * @returns {History | undefined}
   */
  history(id) {
    return this.histories.get(id);
  }

  /**
   * Loads the newest page of a conversation.
   * @param {string} id
   */
  async loadHistory(id) {
    // Messages that arrive by event while the page loads are kept and laid over it.
    /** @type {Message[]} */
    const arrived = [];
    this.arriving.set(id, arrived);
    let messages;
    try {
      ({ messages } = await this.request('GET', `/api/v1/conversations/${enc(id)}/messages?limit=${PAGE}`));
    } finally {
      if (this.arriving.get(id) === arrived) this.arriving.delete(id);
    }
    const old = this.histories.get(id)?.messages ?? [];
    const kept = old.filter((m) => m.pending || m.failed || (m.seq && messages.length && m.seq > messages[messages.length - 1].seq));
    this.histories.set(id, { messages: mergeMessages(messages, [...kept, ...arrived]), complete: messages.length < PAGE });
    this.noteDelivered(id);
    this.emit('messages', id);
  }

  /**
   * Loads the page before the oldest message held (CHAT-6); false when there is no more.
   * @param {string} id
   * @returns {Promise<boolean>}
   */
  async loadOlder(id) {
    const history = this.histories.get(id);
    if (!history || history.complete) return false;
    const oldest = history.messages.find((m) => m.seq);
    if (!oldest) return false;
    const { messages } = await this.request('GET', `/api/v1/conversations/${enc(id)}/messages?${new URLSearchParams({ before: oldest.id, limit: String(PAGE) })}`);
    const now = this.histories.get(id) ?? history;
    this.histories.set(id, { messages: mergeMessages(now.messages, messages), complete: messages.length < PAGE });
    this.emit('messages', id);
    return messages.length > 0;
  }

  /**
   * @param {string} id
   * @param {Message[]} messages
   */
  putMessages(id, messages) {
    const history = this.histories.get(id);
    if (!history) {
      this.arriving.get(id)?.push(...messages);
      return;
    }
    this.histories.set(id, { ...history, messages: mergeMessages(history.messages, messages) });
    this.emit('messages', id);
  }

  /**
   * Sends a message; it shows at once and is matched with the server's copy by its client id.
   * @param {string} id
   * @param {string} text
   * @param {Attachment[]} [attachments] uploaded before
   */
  async send(id, text, attachments = []) {
    const clientId = newClientId();
    /** @type {Message} */
    const message = {
      id: `local:${clientId}`,
      conversation_id: id,
      author_id: this.meId ?? '',
      text,
      client_id: clientId,
      created_at: new Date(this.controller.serverNow()).toISOString(),
      edited_at: null,
      deleted: false,
      seq: 0,
      reactions: [],
      attachments,
      pending: true,
    };
    this.putMessages(id, [message]);
    await this.deliver(message);
  }

  /**
   * Sends again with the same client id: the server stores it once.
   * @param {string} id
   * @param {string} clientId
   */
  async retry(id, clientId) {
    const failed = this.histories.get(id)?.messages.find((m) => m.client_id === clientId && m.failed);
    if (!failed) return;
    const message = { ...failed, failed: false, pending: true };
    this.putMessages(id, [message]);
    await this.deliver(message);
  }

  /** @param {Message} message */
  async deliver(message) {
    try {
      const saved = await this.request('POST', `/api/v1/conversations/${enc(message.conversation_id)}/messages`, {
        json: { text: message.text, client_id: message.client_id, attachment_ids: message.attachments.map((a) => a.id) },
      });
      this.receiveMessage(saved);
    } catch (error) {
      const still = this.histories.get(message.conversation_id)?.messages.find((m) => m.client_id === message.client_id);
      if (still?.pending) this.putMessages(message.conversation_id, [{ ...still, pending: false, failed: true }]);
      throw error;
    }
  }

  /**
   * @param {string} id
   * @param {string} messageId
   * @param {string} text
   */
  async edit(id, messageId, text) {
    const saved = await this.request('PATCH', `/api/v1/conversations/${enc(id)}/messages/${enc(messageId)}`, { json: { text } });
    this.receiveUpdate(saved);
  }

  /** @param {string} id @param {string} messageId */
  async remove(id, messageId) {
    await this.request('DELETE', `/api/v1/conversations/${enc(id)}/messages/${enc(messageId)}`);
    this.receiveDeleted({ id: messageId, conversation_id: id });
  }

  /**
   * Adds or takes back my reaction; shown at once.
   * @param {string} id
   * @param {Message} message
   * @param {string} emoji
   */
  async react(id, message, emoji) {
    const me = this.meId ?? '';
    const mine = message.reactions.some((r) => r.emoji === emoji && r.user_ids.includes(me));
    const current = this.histories.get(id)?.messages.find((m) => m.id === message.id) ?? message;
    this.putMessages(id, [{ ...current, reactions: toggleReaction(current.reactions, emoji, me) }]);
    try {
      await this.request(mine ? 'DELETE' : 'PUT', `/api/v1/conversations/${enc(id)}/messages/${enc(message.id)}/reactions/${enc(emoji)}`);
    } catch (error) {
      const now = this.histories.get(id)?.messages.find((m) => m.id === message.id);
      if (now) this.putMessages(id, [{ ...now, reactions: toggleReaction(now.reactions, emoji, me) }]);
      throw error;
    }
  }

  /**
   * Marks the conversation read up to its newest message (the view calls this while the newest
   * message is on screen and the app is in front). Reading here clears it on my other devices.
   * @param {string} id
   */
  markRead(id) {
    const history = this.histories.get(id);
    const newest = history ? newestStored(history.messages) : null;
    const conversation = this.conversations.get(id);
    if (!newest) return;
    const mine = conversation?.members?.find((m) => m.user_id === this.meId);
    const already = this.readSent.get(id) === newest.id || mine?.read_up_to === newest.id;
    if (already && !conversation?.unread) return;
    this.readSent.set(id, newest.id);
    if (conversation && conversation.unread) {
      this.conversations.set(id, { ...conversation, unread: 0 });
      this.emit('conversation', id);
      this.emit('contacts');
      this.changedUnread();
    }
    this.request('POST', `/api/v1/conversations/${enc(id)}/read`, { json: { up_to: newest.id } }).catch(() => {
      this.readSent.delete(id);
    });
  }

  /**
   * Sends the delivery receipt for the newest message of others held here.
   * @param {string} id
   * @param {Message} [message]
   */
  noteDelivered(id, message) {
    const history = this.histories.get(id);
    const newest = message ?? (history ? newestFromOthers(history.messages, this.meId) : null);
    if (!newest || newest.author_id === this.meId || this.deliveredSent.get(id) === newest.id) return;
    const previous = this.deliveredSent.get(id);
    this.deliveredSent.set(id, newest.id);
    this.request('POST', `/api/v1/conversations/${enc(id)}/delivered`, { json: { up_to: newest.id } }).catch(() => {
      if (this.deliveredSent.get(id) === newest.id) {
        if (previous) this.deliveredSent.set(id, previous);
        else this.deliveredSent.delete(id);
      }
    });
  }

  /**
   * Sequence number of a message id in a conversation, 0 when it is not held here.
   * @param {string} id
   * @returns {(messageId: string | null) => number}
   */
  seqLookup(id) {
    const messages = this.histories.get(id)?.messages ?? [];
    const conversation = this.conversations.get(id);
    return (messageId) => {
      if (!messageId) return 0;
      const found = messages.find((m) => m.id === messageId);
      if (found) return found.seq;
      return conversation?.last_message?.id === messageId ? conversation.last_message.seq : 0;
    };
  }

  /**
   * Sends the typing frame, at most once every three seconds.
   * @param {string} id
   */
  announceTyping(id) {
    const now = Date.now();
    if (!mayAnnounceTyping(this.typingSent.get(id) ?? 0, now)) return;
    this.typingSent.set(id, now);
    this.controller.events.send({ type: 'conversation.typing', data: { conversation_id: id } });
  }

  // ---- Drafts -----------------------------------------------------------------------------

  /** @returns {Record<string, string>} */
  drafts() {
    try {
      return JSON.parse(localStorage.getItem(DRAFTS) ?? '{}') ?? {};
    } catch {
      return {};
    }
  }

  /** @param {string} id */
  draft(id) {
    return this.drafts()[id] ?? '';
  }

  /** @param {string} id @param {string} text */
  saveDraft(id, text) {
    if (!this.controller.token) return;
    localStorage.setItem(DRAFTS, JSON.stringify(withDraft(this.drafts(), id, text)));
  }

  // ---- Attachments ------------------------------------------------------------------------

  /**
   * Uploads a file as it is (CHAT-7).
   * @param {string} id
   * @param {File} file
   * @returns {Promise<Attachment>}
   */
  upload(id, file) {
    return this.request('POST', `/api/v1/conversations/${enc(id)}/attachments?${new URLSearchParams({ name: file.name || 'file' })}`, {
      body: file,
      contentType: file.type || 'application/octet-stream',
    });
  }

  /**
   * A blob URL of an attachment (or its preview image), fetched with the auth header once.
   * @param {string} attachmentId
   * @param {boolean} preview
   * @returns {Promise<string | null>}
   */
  attachmentUrl(attachmentId, preview) {
    const key = `${attachmentId}:${preview ? 'preview' : 'file'}`;
    return this.blobUrl(key, `/api/v1/attachments/${enc(attachmentId)}${preview ? '/preview' : ''}`);
  }

  /**
   * @param {string} key
   * @param {string} path
   * @returns {Promise<string | null>}
   */
  blobUrl(key, path) {
    let url = this.blobs.get(key);
    if (!url) {
      url = this.request('GET', path)
        .then((blob) => (blob instanceof Blob ? URL.createObjectURL(blob) : null))
        .catch(() => {
          this.blobs.delete(key);
          return null;
        });
      this.blobs.set(key, url);
    }
    return url;
  }

  /**
   * Drops a conversation I am no longer in; an open chat of it closes.
   * @param {string} id
   */
  forgetConversation(id) {
    this.conversations.delete(id);
    this.histories.delete(id);
    this.contacts = (this.contacts ?? []).filter((c) => !(c.kind === 'group' && c.conversation_id === id));
    this.emit('conversation-removed', id);
    this.emit('contacts');
    this.changedUnread();
  }

  // ---- Favourites -------------------------------------------------------------------------

  /**
   * Stars or unstars a colleague or phonebook entry (CONT-4): favourites are pinned on top.
   * @param {'user' | 'phonebook-entry'} kind
   * @param {string} id
   * @param {boolean} favorite
   */
  async setFavorite(kind, id, favorite) {
    this.applyFavorite({ kind, id, favorite });
    try {
      await this.request(favorite ? 'PUT' : 'DELETE', `/api/v1/contacts/favorites/${kind}/${enc(id)}`);
      this.emit('favorite', { kind, id, favorite });
    } catch (error) {
      this.applyFavorite({ kind, id, favorite: !favorite });
      throw error;
    }
  }

  /** @param {{kind: string, id: string, favorite: boolean}} change */
  applyFavorite({ kind, id, favorite }) {
    const contacts = this.contacts ?? [];
    const at = contacts.findIndex((c) => c.kind === kind && c.id === id);
    if (kind === 'phonebook-entry' && (at < 0) === favorite) {
      // An entry joins or leaves the list: its title and number come from the server.
      if (!favorite) this.contacts = contacts.filter((_, i) => i !== at);
      else this.refreshContactsSoon();
    } else if (at >= 0) {
      this.contacts = contacts.map((c, i) => (i === at ? { ...c, favorite } : c));
    } else if (kind === 'user') {
      /** @type {Contact} */
      const entry = { kind: 'user', id, title: '', favorite, unread: 0, conversation_id: this.directs.get(id) ?? null, last_activity_at: null, presence: null, number: null };
      this.contacts = [...contacts, entry];
    }
    this.emit('contacts');
  }

  // ---- Events -----------------------------------------------------------------------------

  /**
   * Handles the frames of this part; false for frames it does not know.
   * @param {string} type
   * @param {any} data
   * @returns {boolean}
   */
  receive(type, data) {
    switch (type) {
      case 'message.created':
        this.receiveMessage(data);
        return true;
      case 'message.updated':
        this.receiveUpdate(data);
        return true;
      case 'message.deleted':
        this.receiveDeleted(data);
        return true;
      case 'conversation.read':
        this.receiveRead(data);
        return true;
      case 'conversation.receipt':
        this.receiveReceipt(data);
        return true;
      case 'conversation.typing':
        this.receiveTyping(data);
        return true;
      case 'conversation.updated':
        this.receiveConversation(data);
        return true;
      case 'conversation.removed':
        this.forgetConversation(data.conversation_id);
        return true;
      default:
        return false;
    }
  }

  /** @param {Message} message */
  async receiveMessage(message) {
    const id = message.conversation_id;
    let conversation = this.conversations.get(id);
    const fresh = !conversation;
    if (!conversation) {
      // A conversation I did not know: its snapshot already counts this message.
      try {
        await this.conversation(id);
      } catch {
        return;
      }
      this.refreshContactsSoon();
      conversation = this.conversations.get(id);
      if (!conversation) return;
    }
    const counted = countIncoming(conversation, message, this.meId);
    const newer = !conversation.last_message || (message.seq ?? 0) >= (conversation.last_message.seq ?? 0);
    this.conversations.set(id, {
      ...conversation,
      ...counted,
      last_message: newer ? message : conversation.last_message,
      last_activity_at: newer ? message.created_at : conversation.last_activity_at,
    });
    // The typist has sent: the indicator goes.
    this.typing.get(id)?.delete(message.author_id);
    this.putMessages(id, [message]);
    if (message.author_id !== this.meId) {
      this.noteDelivered(id, message);
      const now = this.conversations.get(id);
      // New to this device (not a replay), not muted, not on screen: worth a banner (CHAT-4).
      if (now && (fresh || counted.unread > conversation.unread) && !now.muted && this.openId !== id) this.emit('incoming', { conversation: now, message });
    }
    this.emit('conversation', id);
    this.emit('typing', id);
    this.emit('contacts');
    this.changedUnread();
  }

  /** @param {Message} message */
  receiveUpdate(message) {
    this.putMessages(message.conversation_id, [message]);
    const c = this.conversations.get(message.conversation_id);
    if (c?.last_message?.id === message.id) {
      this.conversations.set(c.id, { ...c, last_message: message });
      this.emit('conversation', c.id);
    }
  }

  /** @param {{id: string, conversation_id: string}} data */
  receiveDeleted({ id, conversation_id }) {
    const found = this.histories.get(conversation_id)?.messages.find((m) => m.id === id);
    if (found) this.putMessages(conversation_id, [asDeleted(found)]);
    const c = this.conversations.get(conversation_id);
    if (c?.last_message?.id === id) {
      this.conversations.set(c.id, { ...c, last_message: asDeleted(c.last_message) });
      this.emit('conversation', c.id);
    }
  }

  /** @param {{conversation_id: string, up_to: string, unread: number, unread_total?: number}} data */
  receiveRead({ conversation_id, up_to, unread }) {
    const c = this.conversations.get(conversation_id);
    if (!c) {
      this.conversation(conversation_id).catch(() => {});
      return;
    }
    const members = this.meId ? applyReceipt(c.members, { user_id: this.meId, read_up_to: up_to }, this.seqLookup(conversation_id)) : c.members;
    this.conversations.set(conversation_id, { ...c, unread: Math.max(0, Number(unread) || 0), members });
    this.readSent.set(conversation_id, up_to);
    this.emit('conversation', conversation_id);
    this.emit('contacts');
    this.changedUnread();
  }

  /** @param {{conversation_id: string, user_id: string, read_up_to: string | null, delivered_up_to: string | null}} data */
  receiveReceipt(data) {
    const c = this.conversations.get(data.conversation_id);
    if (!c) return;
    this.conversations.set(c.id, { ...c, members: applyReceipt(c.members, data, this.seqLookup(c.id)) });
    this.emit('conversation', c.id);
  }

  /** @param {{conversation_id: string, user_id: string}} data */
  receiveTyping({ conversation_id, user_id }) {
    if (user_id === this.meId) return;
    const typists = this.typing.get(conversation_id) ?? new Map();
    typists.set(user_id, Date.now() + TYPING_SHOW_MS);
    this.typing.set(conversation_id, typists);
    this.emit('typing', conversation_id);
    // Tell the views again when it runs out.
    setTimeout(() => this.emit('typing', conversation_id), TYPING_SHOW_MS + 50);
  }

  /** @param {Conversation} data */
  receiveConversation(data) {
    const known = this.conversations.has(data.id);
    this.storeConversation(data);
    if (!known || (data.kind === 'group' && !(this.contacts ?? []).some((c) => c.conversation_id === data.id))) this.refreshContactsSoon();
    this.emit('contacts');
  }
}
