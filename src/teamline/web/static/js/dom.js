// @ts-check
/** A tiny hyperscript helper and listener bookkeeping shared by the views. */

/** @typedef {Node | string | number | null | undefined | false} Child */

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'type']);

/**
 * Creates an element: `h('button', {class: 'btn', onclick: fn, 'data-testid': 'x'}, 'Label')`.
 * Keys starting with "on" add listeners; a few form keys are set as properties; the rest are
 * attributes (true = empty attribute, false/null = left out).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (PROPERTIES.has(key)) {
      /** @type {any} */ (el)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/**
 * Appends children, flattening arrays and skipping empty values.
 * @param {Element} parent
 * @param {Array<Child | Child[]>} children
 */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/**
 * Replaces all children of an element.
 * @param {Element} parent
 * @param {...(Child | Child[])} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Collects clean-up functions so a view can undo everything in one call.
 */
export class Disposer {
  constructor() {
    /** @type {Array<() => void>} */
    this.fns = [];
  }

  /** @param {() => void} fn */
  add(fn) {
    this.fns.push(fn);
  }

  /**
   * Adds a listener and remembers how to remove it.
   * @param {EventTarget} target
   * @param {string} type
   * @param {(event: any) => void} fn
   * @param {AddEventListenerOptions} [options]
   */
  listen(target, type, fn, options) {
    target.addEventListener(type, fn, options);
    this.add(() => target.removeEventListener(type, fn, options));
  }

  dispose() {
    for (const fn of this.fns.splice(0).reverse()) fn();
  }
}
