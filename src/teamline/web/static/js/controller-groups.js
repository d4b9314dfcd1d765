// @ts-check
/**
 * The controller's part for groups (GRP-1 … GRP-3): my groups, creating, renaming, pictures,
 * members, leaving. Owned by the Controller (`controller.groups`); a group's chat is an ordinary
 * conversation of `controller.chat`. It tells views about changes through the controller's
 * events "groups" and "contacts" (a group is an entry of the contact list).
 */

/**
 * @typedef {{id: string, name: string, conversation_id: string, member_ids: string[],
 *   created_by: string, created_at: string, has_picture: boolean, muted: boolean}} Group
 * @typedef {import('./logic/contact-list.js').Contact} Contact
 */

const enc = encodeURIComponent;
const CACHE = 'teamline.groups';

export class Groups {
  /** @param {import('./controller.js').Controller} controller */
  constructor(controller) {
    this.controller = controller;
    this.reset();
    try {
      // The groups of the last session, for a start without network.
      for (const g of controller.token ? JSON.parse(localStorage.getItem(CACHE) ?? '[]') : []) this.byId.set(g.id, g);
    } catch {
      // A broken cache is only a slower start.
    }
  }

  reset() {
    /** @type {Map<string, Group>} */
    this.byId = new Map();
    if (!this.controller.token) localStorage.removeItem(CACHE);
    /** @type {Map<string, number>} group → picture version (bumped on changes) */
    this.pictureVersions = new Map();
  }

  /** @param {string} method @param {string} path @param {{json?: unknown, form?: FormData}} [options] */
  request(method, path, options) {
    return this.controller.request(method, path, options);
  }

  /** @param {string} id */
  get(id) {
    return this.byId.get(id);
  }

  /** @param {string} id */
  pictureVersion(id) {
    return this.pictureVersions.get(id) ?? 0;
  }

  /** @param {Group[]} groups the answer of GET /groups */
  apply(groups) {
    this.byId = new Map(groups.map((g) => [g.id, g]));
    this.controller.emit('groups');
    this.save();
  }

  save() {
    if (this.controller.token) localStorage.setItem(CACHE, JSON.stringify([...this.byId.values()]));
  }

  /**
   * @param {string} conversationId
   * @param {boolean} muted
   */
  setMuted(conversationId, muted) {
    for (const g of this.byId.values()) if (g.conversation_id === conversationId) this.byId.set(g.id, { ...g, muted });
    this.controller.emit('groups');
    this.save();
  }

  /**
   * @param {string} name
   * @param {string[]} memberIds
   * @param {File | null} picture
   * @returns {Promise<Group>}
   */
  async create(name, memberIds, picture) {
    /** @type {Group} */
    let group = await this.request('POST', '/api/v1/groups', { json: { name, member_ids: memberIds } });
    if (picture) group = await this.setPicture(group.id, picture).catch(() => group);
    this.store(group);
    return group;
  }

  /**
   * Keeps a group and its entry in the contact list up to date.
   * @param {Group} group
   */
  store(group) {
    const old = this.byId.get(group.id);
    this.byId.set(group.id, group);
    // Any change may be a new picture: fetch it again.
    if (old && group.has_picture) this.pictureVersions.set(group.id, this.pictureVersion(group.id) + 1);
    const chat = this.controller.chat;
    const contacts = chat.contacts ?? [];
    const at = contacts.findIndex((c) => c.kind === 'group' && c.id === group.id);
    /** @type {Contact} */
    const entry = {
      kind: 'group', id: group.id, title: group.name, subtitle: null, favorite: false, unread: 0,
      conversation_id: group.conversation_id, last_activity_at: group.created_at, presence: null, number: null,
      ...(at >= 0 ? contacts[at] : {}),
    };
    entry.title = group.name;
    chat.contacts = at >= 0 ? contacts.map((c, i) => (i === at ? entry : c)) : [...contacts, entry];
    this.controller.emit('groups');
    this.save();
    this.controller.emit('contacts');
  }

  /**
   * Reads a group from the server.
   * @param {string} id
   * @returns {Promise<Group>}
   */
  async fetch(id) {
    const group = await this.request('GET', `/api/v1/groups/${enc(id)}`);
    this.store(group);
    return group;
  }

  /** @param {string} id @param {string} name */
  async rename(id, name) {
    this.store(await this.request('PATCH', `/api/v1/groups/${enc(id)}`, { json: { name } }));
  }

  /**
   * @param {string} id
   * @param {File} file
   * @returns {Promise<Group>}
   */
  async setPicture(id, file) {
    const form = new FormData();
    form.append('file', file);
    const group = await this.request('PUT', `/api/v1/groups/${enc(id)}/picture`, { form });
    this.store(group);
    return group;
  }

  /**
   * A blob URL of the group's picture, fetched with the auth header.
   * @param {string} id
   * @returns {Promise<string | null>}
   */
  pictureUrl(id) {
    const version = this.pictureVersion(id);
    return this.controller.chat.blobUrl(`group:${id}:${version}`, `/api/v1/groups/${enc(id)}/picture?v=${version}`);
  }

  /** @param {string} id @param {string} userId */
  async addMember(id, userId) {
    await this.request('PUT', `/api/v1/groups/${enc(id)}/members/${enc(userId)}`);
    const g = this.byId.get(id);
    if (g && !g.member_ids.includes(userId)) this.store({ ...g, member_ids: [...g.member_ids, userId] });
  }

  /** @param {string} id @param {string} userId */
  async removeMember(id, userId) {
    await this.request('DELETE', `/api/v1/groups/${enc(id)}/members/${enc(userId)}`);
    if (userId === this.controller.me?.id) {
      this.forget(id);
      return;
    }
    const g = this.byId.get(id);
    if (g) this.store({ ...g, member_ids: g.member_ids.filter((m) => m !== userId) });
  }

  /** @param {string} id */
  leave(id) {
    return this.removeMember(id, this.controller.me?.id ?? '');
  }

  /**
   * Drops a group I am no longer in, with its conversation.
   * @param {string} id
   */
  forget(id) {
    const group = this.byId.get(id);
    this.byId.delete(id);
    const chat = this.controller.chat;
    chat.contacts = (chat.contacts ?? []).filter((c) => !(c.kind === 'group' && c.id === id));
    if (group?.conversation_id) chat.forgetConversation(group.conversation_id);
    this.controller.emit('groups');
    this.save();
    this.controller.emit('contacts');
  }

  /**
   * Handles the frames of this part; false for frames it does not know.
   * @param {string} type
   * @param {any} data
   * @returns {boolean}
   */
  receive(type, data) {
    switch (type) {
      case 'group.updated':
        this.store(data);
        return true;
      case 'group.deleted':
        this.forget(data.id);
        if (data.conversation_id) this.controller.chat.forgetConversation(data.conversation_id);
        return true;
      default:
        return false;
    }
  }
}
