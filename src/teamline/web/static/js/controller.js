// @ts-check
/**
 * The one owner of the server connection: REST calls, the event socket and local storage.
 * Views read its state and call its actions; it tells them about changes through DOM events
 * on itself ("me", "users", "user", "settings", "devices", "device-paired", "connection",
 * "signed-in", "signed-out").
 */
import { ApiError, parseRetryAfter } from './logic/api-error.js';
import { EventSocket } from './event-socket.js';
import { deviceNameFromUserAgent } from './logic/device-name.js';
import { Records } from './controller-records.js';
import { offerNotifications, subscribeDevice, unsubscribeDevice } from './push.js';
import { Chat } from './controller-chat.js';
import { Groups } from './controller-groups.js';

/**
 * @typedef {import('./logic/presence.js').Presence} Presence
 * @typedef {import('./logic/contacts.js').Colleague} Colleague
 * @typedef {{contact_sort: 'name' | 'status' | 'recent', list_style: 'compact' | 'detailed',
 *   auto_away_seconds: number, hide_system_calls: boolean, language: 'de' | 'en',
 *   theme: 'light' | 'dark' | 'system'}} Settings
 * @typedef {Colleague & {permissions?: {may_pair_self: boolean, may_edit_follow_me: boolean},
 *   directory_user?: boolean, settings?: Settings}} Me
 * @typedef {{id: string, name: string, kind: 'web' | 'mobile', created_at: string,
 *   last_seen_at: string | null, current: boolean}} Device
 * @typedef {{id: string, url: string, expires_at: string}} Pairing
 * @typedef {{token: string, user: Me, device: Device}} Session
 * @typedef {import('./event-socket.js').Connection} Connection
 * @typedef {'signed-out' | 'revoked' | 'expired'} SignOutReason
 */

const KEY = {
  token: 'teamline.token',
  deviceId: 'teamline.device',
  lastEventId: 'teamline.lastEventId',
  settings: 'teamline.settings',
  me: 'teamline.me',
  users: 'teamline.users',
};

/** @type {Settings} */
export const DEFAULT_SETTINGS = {
  contact_sort: 'name',
  list_style: 'detailed',
  auto_away_seconds: 300,
  hide_system_calls: false,
  language: 'en',
  theme: 'system',
};

/**
 * @param {string} key
 * @returns {any}
 */
function readJson(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export class Controller extends EventTarget {
  constructor() {
    super();
    /** @type {string | null} */
    this.token = localStorage.getItem(KEY.token);
    /** @type {string | null} */
    this.deviceId = localStorage.getItem(KEY.deviceId);
    /** @type {Me | null} */
    this.me = this.token ? readJson(KEY.me) : null;
    /** @type {Map<string, Colleague>} */
    this.users = new Map((this.token ? readJson(KEY.users) ?? [] : []).map((/** @type {Colleague} */ u) => [u.id, u]));
    /** @type {Settings | null} settings the user saved; null before the first sign-in */
    this.settings = readJson(KEY.settings);
    /** @type {Array<Partial<Settings>>} saves not yet answered */
    this.pendingSettings = [];
    /** @type {Device[] | null} */
    this.devices = null;
    /** @type {Connection} */
    this.connection = 'offline';
    /** @type {Map<string, number>} user id → when their presence last changed (sort "recent") */
    this.recent = new Map();
    this.events = new EventSocket({
      url: () => this.eventsUrl(),
      onOpen: () => this.sendClientState(),
      onFrame: (raw) => this.receive(raw),
      onState: (state) => this.setConnection(state),
      onUnauthenticated: () => this.endSession('expired'),
    });
    this.clientState = { idle: false, foreground: true };
    /** @type {Map<string, {key: string, url: Promise<string | null>}>} */
    this.avatars = new Map();
    this.deviceName = deviceNameFromUserAgent(navigator.userAgent);
    /** server clock minus this device's clock (ms), from the Date header of the last answer */
    this.clockOffset = 0;
    /** true once profile and colleagues came from the server in this session */
    this.loaded = false;
    /** @type {string[] | null} frames that arrive while a load runs, applied after it */
    this.pending = null;
    /** @type {Promise<void> | null} the load in flight; concurrent callers share it */
    this.loading = null;
    /** phonebooks, call journal and search (controller-records.js) */
    this.records = new Records(this);
    /** contacts, conversations, messages and groups (controller-chat.js) */
    this.chat = new Chat(this);
    /** my groups (controller-groups.js) */
    this.groups = new Groups(this);
  }

  get signedIn() {
    return this.token !== null;
  }

  /**
   * @param {string} type
   * @param {unknown} [detail]
   */
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // ---- REST -------------------------------------------------------------------------------

  /**
   * Calls the API. Resolves with the parsed JSON body (null for 204, a Blob for other content),
   * rejects with an ApiError. A 401 on an authenticated call ends the session, except for
   * "invalid-credentials", which answers a wrong password typed into a form.
   * @param {string} method
   * @param {string} path
   * @param {{json?: unknown, form?: FormData, body?: BodyInit, contentType?: string, auth?: boolean}} [options]
   * @returns {Promise<any>}
   */
  async request(method, path, { json, form, body: raw, contentType, auth = true } = {}) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    if (auth && this.token) headers.Authorization = `Bearer ${this.token}`;
    /** @type {BodyInit | undefined} */
    let body;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    } else if (raw !== undefined) {
      if (contentType) headers['Content-Type'] = contentType;
      body = raw;
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body });
    } catch (error) {
      throw new ApiError(0, 'network-error', String(error));
    }
    const serverDate = Date.parse(response.headers.get('Date') ?? '');
    // The header has whole seconds: only a real skew counts, not its rounding.
    if (!Number.isNaN(serverDate)) {
      const skew = serverDate - Date.now();
      this.clockOffset = Math.abs(skew) > 2000 ? skew : 0;
    }
    if (response.ok) {
      if (response.status === 204) return null;
      const type = response.headers.get('Content-Type') ?? '';
      return type.includes('json') ? response.json() : response.blob();
    }
    const error = await toApiError(response);
    if (response.status === 401 && auth && this.token && error.code !== 'invalid-credentials') {
      this.endSession('expired');
    }
    throw error;
  }

  // ---- Session ----------------------------------------------------------------------------

  /**
   * @param {string} login
   * @param {string} password
   */
  async signIn(login, password) {
    offerNotifications(this); // from the sign-in gesture: browsers ask only then
    /** @type {Session} */
    const session = await this.request('POST', '/api/v1/sessions', {
      json: { login, password, device_name: this.deviceName },
      auth: false,
    });
    this.startSession(session);
  }

  /**
   * Redeems a pairing code from the QR code or link (PAIR-3) and signs this device in.
   * @param {string} code
   * @param {string} mobileNumber empty for no GSM telephony
   */
  async redeemPairing(code, mobileNumber) {
    /** @type {Record<string, string>} */
    const json = { code, device_name: this.deviceName };
    if (mobileNumber.trim()) json.mobile_number = mobileNumber.trim();
    /** @type {Session} */
    const session = await this.request('POST', '/api/v1/pairings/redeem', { json, auth: false });
    this.startSession(session);
  }

  /** @param {Session} session */
  startSession({ token, user, device }) {
    this.disconnect();
    this.token = token;
    this.deviceId = device?.id ?? null;
    localStorage.setItem(KEY.token, token);
    if (this.deviceId) localStorage.setItem(KEY.deviceId, this.deviceId);
    localStorage.removeItem(KEY.lastEventId);
    this.me = user ?? null;
    this.users = new Map();
    this.devices = null;
    this.loaded = false;
    // The session answer carries my settings: start in my language and theme right away.
    if (user?.settings) this.storeSettings(user.settings);
    this.emit('signed-in');
  }

  async signOut() {
    await unsubscribeDevice(this).catch(() => {});
    try {
      await this.request('DELETE', '/api/v1/sessions/current');
    } catch {
      // Signing out must work offline too; the token is forgotten either way.
    }
    this.endSession('signed-out');
  }

  /**
   * Forgets the session locally. Safe to call more than once.
   * @param {SignOutReason} reason
   */
  endSession(reason) {
    if (this.token === null) return;
    this.token = null;
    this.deviceId = null;
    // Settings go too: before sign-in the browser's language and theme apply.
    for (const key of Object.values(KEY)) localStorage.removeItem(key);
    this.settings = null;
    this.disconnect();
    this.me = null;
    this.users = new Map();
    this.devices = null;
    this.recent = new Map();
    for (const { url } of this.avatars.values()) url.then((u) => u && URL.revokeObjectURL(u));
    this.avatars = new Map();
    this.loaded = false;
    this.pending = null;
    this.records.reset();
    this.chat.reset();
    this.groups.reset();
    this.emit('signed-out', reason);
  }

  // ---- Profile, colleagues, settings ------------------------------------------------------

  /**
   * Connects the event socket, then loads the data: subscribing first means no change between
   * the snapshot and the subscription is lost.
   */
  async start() {
    this.connect();
    subscribeDevice(this).catch(() => {}); // Web Push for this device, when allowed (CHAT-4)
    await new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.removeEventListener('connection', onChange);
        resolve(undefined);
      };
      const onChange = () => this.connection !== 'connecting' && done();
      const timer = setTimeout(done, 3000);
      this.addEventListener('connection', onChange);
      if (this.connection !== 'connecting') done();
    });
    await this.load();
  }

  /**
   * Loads my profile and the colleagues; emits "me", "users", "settings". Events that arrive
   * meanwhile are held back and applied on top of the snapshot.
   * @returns {Promise<void>}
   */
  load() {
    this.loading ??= this.fetchAll().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  async fetchAll() {
    const token = this.token;
    this.pending ??= [];
    let me, users, chat;
    try {
      [me, { users }, chat] = await Promise.all([
        this.request('GET', '/api/v1/me'),
        this.request('GET', '/api/v1/users'),
        this.chat.fetch(),
      ]);
    } catch (error) {
      this.drainPending();
      throw error;
    }
    if (this.token !== token) return; // signed out meanwhile
    this.me = me;
    this.users = new Map(users.map((/** @type {Colleague} */ u) => [u.id, u]));
    this.storeSettings(me.settings ?? (await this.request('GET', '/api/v1/me/settings')));
    this.cacheDirectory();
    this.loaded = true;
    this.emit('me');
    this.emit('users');
    this.chat.apply(chat);
    this.drainPending();
    this.records.refreshMissed().catch(() => {});
  }

  drainPending() {
    const frames = this.pending ?? [];
    this.pending = null;
    for (const frame of frames) this.receive(frame);
  }

  cacheDirectory() {
    if (!this.token) return;
    localStorage.setItem(KEY.me, JSON.stringify(this.me));
    localStorage.setItem(KEY.users, JSON.stringify([...this.users.values()]));
  }

  /** @param {Settings} settings */
  storeSettings(settings) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    localStorage.setItem(KEY.settings, JSON.stringify(this.settings));
    this.emit('settings');
  }

  /**
   * @param {'available' | 'away' | 'dnd'} state
   * @param {string} text
   */
  async setPresence(state, text) {
    /** @type {Presence} */
    const presence = await this.request('PUT', '/api/v1/me/presence', { json: { state, text } });
    if (this.me) this.applyPresence(this.me.id, presence);
  }

  /**
   * @param {string} userId
   * @param {Presence} presence
   */
  applyPresence(userId, presence) {
    const user = this.users.get(userId);
    if (user) this.users.set(userId, { ...user, presence });
    if (this.me?.id === userId) {
      this.me = { ...this.me, presence };
      this.emit('me');
    }
    this.recent.set(userId, Date.now());
    this.emit('user', userId);
  }

  /**
   * Saves some settings; applies them at once and reverts when the server refuses.
   * Answers (and settings.changed events) for earlier saves can arrive after a later change
   * was made: the changes still on their way are laid over every state that arrives.
   * @param {Partial<Settings>} patch
   */
  async updateSettings(patch) {
    const before = this.settings;
    this.pendingSettings.push(patch);
    this.storeSettings({ ...DEFAULT_SETTINGS, ...before, ...patch });
    try {
      const saved = await this.request('PATCH', '/api/v1/me/settings', { json: patch });
      this.pendingSettings.splice(this.pendingSettings.indexOf(patch), 1);
      this.receiveSettings(saved);
    } catch (error) {
      this.pendingSettings.splice(this.pendingSettings.indexOf(patch), 1);
      if (before) this.receiveSettings(before);
      throw error;
    }
  }

  /** @param {Settings} settings what the server says now */
  receiveSettings(settings) {
    this.storeSettings(Object.assign({ ...settings }, ...this.pendingSettings));
  }

  /** @param {File} file */
  async uploadAvatar(file) {
    const form = new FormData();
    form.append('file', file);
    const { avatar_version } = await this.request('PUT', '/api/v1/me/avatar', { form });
    this.setMyAvatarVersion(avatar_version);
  }

  async generateAvatar() {
    const { avatar_version } = await this.request('POST', '/api/v1/me/avatar/generate');
    this.setMyAvatarVersion(avatar_version);
  }

  /** @param {number} version */
  setMyAvatarVersion(version) {
    if (!this.me) return;
    this.applyUser({ ...(this.users.get(this.me.id) ?? this.me), avatar_version: version });
  }

  /** @param {Colleague} user */
  applyUser(user) {
    this.users.set(user.id, user);
    if (this.me?.id === user.id) {
      this.me = { ...this.me, ...user };
      this.emit('me');
    }
    this.cacheDirectory();
    this.emit('user', user.id);
  }

  /**
   * @param {string} current
   * @param {string} next
   */
  async changePassword(current, next) {
    await this.request('POST', '/api/v1/me/password', { json: { current, new: next } });
  }

  /**
   * A blob URL of a user's avatar, fetched once per avatar version.
   * @param {string} userId
   * @param {number} [version]
   * @returns {Promise<string | null>}
   */
  avatarUrl(userId, version = 0) {
    const key = `${userId}:${version}`;
    const cached = this.avatars.get(userId);
    if (cached?.key === key) return cached.url;
    const url = this.request('GET', `/api/v1/users/${encodeURIComponent(userId)}/avatar?v=${version}`)
      .then((blob) => (blob instanceof Blob ? URL.createObjectURL(blob) : null))
      .catch(() => null);
    this.avatars.set(userId, { key, url });
    // The old image stays on screen until the new one arrives, so revoke only afterwards.
    if (cached) url.finally(() => cached.url.then((u) => u && URL.revokeObjectURL(u)));
    return url;
  }

  /** The server's time now (epoch ms), to count down to times the server set. */
  serverNow() {
    return Date.now() + this.clockOffset;
  }

  // ---- Devices and pairing ----------------------------------------------------------------

  async loadDevices() {
    const { devices } = await this.request('GET', '/api/v1/devices');
    this.devices = devices;
    const current = devices.find((/** @type {Device} */ d) => d.current);
    if (current && this.token) {
      this.deviceId = current.id;
      localStorage.setItem(KEY.deviceId, current.id);
    }
    this.emit('devices');
  }

  /** @param {string} deviceId */
  async unpairDevice(deviceId) {
    await this.request('DELETE', `/api/v1/devices/${encodeURIComponent(deviceId)}`);
    if (deviceId === this.deviceId) {
      this.endSession('signed-out');
      return;
    }
    this.devices = (this.devices ?? []).filter((d) => d.id !== deviceId);
    this.emit('devices');
  }

  /**
   * @param {string} password
   * @returns {Promise<Pairing>}
   */
  startPairing(password) {
    return this.request('POST', '/api/v1/pairings', { json: { password } });
  }

  /**
   * @param {string} pairingId
   * @returns {Promise<Pairing>}
   */
  regeneratePairing(pairingId) {
    return this.request('POST', `/api/v1/pairings/${encodeURIComponent(pairingId)}/regenerate`);
  }

  /**
   * A blob URL of the QR code; the caller revokes it.
   * @param {string} pairingId
   * @returns {Promise<string>}
   */
  async pairingQrUrl(pairingId) {
    const blob = await this.request('GET', `/api/v1/pairings/${encodeURIComponent(pairingId)}/qr.svg`);
    return URL.createObjectURL(blob);
  }

  // ---- Event socket -----------------------------------------------------------------------

  /** Opens the event socket unless it is open or no one is signed in. */
  connect() {
    this.events.connect();
  }

  /** Reconnects at once (the network came back, the app came to the foreground). */
  reconnectNow() {
    if (this.token) this.events.reconnectNow();
  }

  disconnect() {
    this.events.close();
  }

  /** @returns {string | null} the event socket's address, resuming after the last event */
  eventsUrl() {
    if (!this.token) return null;
    const params = new URLSearchParams({ token: this.token });
    const since = localStorage.getItem(KEY.lastEventId);
    if (since) params.set('since', since);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/api/v1/events?${params}`;
  }

  /** @param {Connection} state */
  setConnection(state) {
    if (this.connection === state) return;
    this.connection = state;
    this.emit('connection');
  }

  /**
   * Tells the server whether this client is idle or in the foreground (auto-away, push).
   * @param {{idle: boolean, foreground: boolean}} state
   */
  setClientState(state) {
    if (state.idle === this.clientState.idle && state.foreground === this.clientState.foreground) return;
    this.clientState = { ...state };
    this.sendClientState();
  }

  sendClientState() {
    this.events.send({ type: 'client.state', data: this.clientState });
  }

  /** @param {string} raw */
  receive(raw) {
    if (this.pending) {
      this.pending.push(raw);
      return;
    }
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof frame?.id === 'number') localStorage.setItem(KEY.lastEventId, String(frame.id));
    const data = frame?.data ?? {};
    switch (frame?.type) {
      case 'presence.changed':
        this.applyPresence(data.user_id, data.presence);
        break;
      case 'presence.batch':
        for (const change of data.changes ?? []) this.applyPresence(change.user_id, change.presence);
        break;
      case 'user.updated':
        this.applyUser(data.user);
        break;
      case 'settings.changed':
        this.receiveSettings(data.settings);
        break;
      case 'device.paired':
        this.emit('device-paired', data.device);
        this.refreshDevices();
        break;
      case 'device.revoked':
        if (data.device_id && data.device_id === this.deviceId) {
          this.endSession('revoked');
        } else {
          this.refreshDevices();
        }
        break;
      case 'events.gap':
        this.load().catch(() => {});
        this.chat.dropHistories();
        this.refreshDevices();
        this.emit('phonebook', { book: null, id: null });
        this.emit('journal', { gap: true });
        break;
      default:
        if (!this.records.receive(frame?.type, data) && !this.chat.receive(frame?.type, data)) this.groups.receive(frame?.type, data);
        break;
    }
  }

  /** Reloads the device list if some view has loaded it before. */
  refreshDevices() {
    if (this.devices !== null) this.loadDevices().catch(() => {});
  }
}

/**
 * Reads the JSON error body; tolerates bodies that are not in the contract's shape.
 * @param {Response} response
 * @returns {Promise<ApiError>}
 */
async function toApiError(response) {
  /** @type {any} */
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    // not JSON: keep the status text
  }
  const error = payload?.error ?? {};
  return new ApiError(
    response.status,
    error.code ?? (response.status === 422 ? 'invalid-input' : `http-${response.status}`),
    error.message ?? response.statusText,
    error.details ?? {},
    parseRetryAfter(response.headers.get('Retry-After'), Date.now()),
  );
}
