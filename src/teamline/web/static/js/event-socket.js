// @ts-check
/**
 * The mechanics of the event socket: one WebSocket that reconnects with exponential backoff
 * and reports its state. What the frames mean, the token and the last event id belong to the
 * controller, which creates and drives this.
 */
import { backoffDelay } from './logic/backoff.js';

/** @typedef {'offline' | 'connecting' | 'online'} Connection */

/** The server closes with this code when the token is invalid or the device was unpaired. */
export const CLOSE_UNAUTHENTICATED = 4401;

export class EventSocket {
  /**
   * @param {{url: () => string | null, onOpen: () => void, onFrame: (raw: string) => void,
   *   onState: (state: Connection) => void, onUnauthenticated: () => void}} hooks
   *   `url` gives the address to connect to, or null when no one is signed in
   */
  constructor(hooks) {
    this.hooks = hooks;
    /** @type {WebSocket | null} */
    this.socket = null;
    this.attempt = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
  }

  get isOpen() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket unless it is open already. */
  connect() {
    if (this.socket) return;
    clearTimeout(this.retryTimer);
    const url = this.hooks.url();
    if (!url) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    this.hooks.onState('connecting');
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.hooks.onState('online');
      this.hooks.onOpen();
    });
    socket.addEventListener('message', (event) => this.hooks.onFrame(event.data));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return; // closed on purpose, or replaced
      this.socket = null;
      this.hooks.onState('offline');
      if (event.code === CLOSE_UNAUTHENTICATED) {
        this.hooks.onUnauthenticated();
      } else {
        this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
      }
    });
  }

  /** Reconnects at once (the network came back, the app came to the foreground). */
  reconnectNow() {
    if (this.socket) return;
    this.attempt = 0;
    this.connect();
  }

  /** Closes the socket and stops reconnecting. */
  close() {
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000);
    this.hooks.onState('offline');
  }

  /** @param {unknown} frame sent only while open; the state is sent again on every open */
  send(frame) {
    if (this.isOpen) this.socket?.send(JSON.stringify(frame));
  }
}
