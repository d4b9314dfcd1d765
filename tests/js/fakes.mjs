// Stand-ins for the browser APIs the controller touches, so it runs under node:test.

export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

/** A WebSocket that records what is sent and lets the test play the server. */
export class FakeSocket extends EventTarget {
  static OPEN = 1;
  static instances = [];
  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.instances.push(this);
  }
  send(data) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  frame(id, type, data) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify({ id, type, data }) }));
  }
}

/**
 * Installs the fakes on globalThis; `routes` maps "METHOD /path" to [status, body].
 * Returns the list of requests made.
 */
export function installBrowser(routes = {}) {
  const requests = [];
  globalThis.localStorage = new MemoryStorage();
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36' }, configurable: true });
  globalThis.location = { protocol: 'http:', host: '127.0.0.1:8080' };
  FakeSocket.instances = [];
  globalThis.WebSocket = FakeSocket;
  globalThis.fetch = async (path, init = {}) => {
    const method = init.method ?? 'GET';
    requests.push({ method, path, headers: init.headers, body: init.body });
    const key = `${method} ${String(path).split('?')[0]}`;
    const [status, body, headers = {}] = routes[key] ?? [404, { error: { code: 'not-found', message: key } }];
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
  };
  return requests;
}

/**
 * A controller signed in as `login`, with the fake socket connected and the data loaded.
 * @param {any} Controller the controller class (imported after installBrowser)
 * @param {string} login
 */
export async function startedController(Controller, login) {
  const controller = new Controller();
  await controller.signIn(login, 'teamline');
  const starting = controller.start();
  FakeSocket.instances.at(-1).open();
  await starting;
  return { controller, socket: FakeSocket.instances.at(-1) };
}

/** @returns {Promise<any>} the detail of the next event of that type */
export const next = (target, type) => new Promise((resolve) => target.addEventListener(type, (e) => resolve(e.detail), { once: true }));
