// @ts-check
/**
 * One message bubble (CHAT-6 … CHAT-8): text with clickable links and numbers, attachments (image
 * previews fetched with the auth header), reactions, edited mark, time and receipt ticks; the
 * message menu (react, edit, delete, copy) on long-press or right-click.
 */
import { h } from '../dom.js';
import { getLanguage, t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { REACTIONS, formatSize, linkify } from '../logic/chat.js';
import { clockTime } from '../logic/journal.js';
import { errorText } from './error-text.js';
import { callNumber } from './search-actions.js';

/**
 * @typedef {import('../logic/chat.js').Message} Message
 * @typedef {import('../logic/chat.js').Receipt} Receipt
 * @typedef {import('../logic/chat.js').Attachment} Attachment
 * @typedef {import('../controller.js').Controller} Controller
 * @typedef {{react: (message: Message, emoji: string) => void, edit: (message: Message) => void,
 *   remove: (message: Message) => void, retry: (message: Message) => void}} MessageActions
 */

const LONG_PRESS_MS = 450;

/**
 * The text of a message as nodes: links open in a new tab, numbers dial.
 * @param {string} text
 * @returns {Node[]}
 */
export function richText(text) {
  return linkify(text).map((token) => {
    if (token.kind === 'url') return h('a', { href: token.href, target: '_blank', rel: 'noopener noreferrer', class: 'msg-link', 'data-testid': 'message-link' }, token.text);
    if (token.kind === 'phone') {
      return h('a', {
        href: `tel:${token.number}`,
        class: 'msg-link msg-phone',
        'data-testid': 'message-phone',
        'data-number': token.number,
        onclick: (/** @type {Event} */ event) => {
          // Teamline dials itself (CHAT-6): the number goes to the phone area, not the OS.
          event.preventDefault();
          callNumber(token.number);
        },
      }, token.text);
    }
    return document.createTextNode(token.text);
  });
}

/**
 * @param {Controller} controller
 * @param {Attachment} attachment
 */
function attachmentView(controller, attachment) {
  const download = async () => {
    const url = await controller.chat.attachmentUrl(attachment.id, false);
    if (!url) {
      toast(t('chat.attachmentFailed'), { kind: 'error' });
      return;
    }
    const a = h('a', { href: url, download: attachment.name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  };
  if (attachment.image) {
    const img = h('img', { class: 'msg-image', alt: attachment.name, 'data-testid': 'attachment-image', width: attachment.width ?? undefined, height: attachment.height ?? undefined });
    if (attachment.width && attachment.height) img.style.aspectRatio = `${attachment.width} / ${attachment.height}`;
    controller.chat.attachmentUrl(attachment.id, true).then((url) => {
      if (url) {
        img.src = url;
        img.dataset.loaded = 'true';
      }
    });
    return h('button', { class: 'msg-image-btn', type: 'button', 'aria-label': t('chat.openAttachment', { name: attachment.name }), onclick: download }, img);
  }
  return h(
    'button',
    { class: 'msg-file', type: 'button', 'data-testid': 'attachment-file', onclick: download },
    h('span', { class: 'msg-file-icon' }, icon('download', { size: 20 })),
    h('span', { class: 'msg-file-text' }, h('span', { class: 'msg-file-name' }, attachment.name), h('small', null, formatSize(attachment.size, getLanguage()))),
  );
}

/**
 * @param {Receipt} receipt
 */
function receiptView(receipt) {
  const label = t(`chat.receipt.${receipt}`);
  const ticks = receipt === 'sending' ? '◷' : receipt === 'failed' ? '!' : receipt === 'sent' ? '✓' : '✓✓';
  return h('span', { class: 'msg-receipt', 'data-receipt': receipt, 'data-testid': 'message-receipt', title: label, 'aria-label': label }, ticks);
}

/**
 * @param {Controller} controller
 * @param {Message} message
 * @param {{mine: boolean, first: boolean, showAuthor: boolean, receipt: Receipt | null,
 *   actions: MessageActions}} options
 * @returns {HTMLElement}
 */
export function messageBubble(controller, message, { mine, first, showAuthor, receipt, actions }) {
  const me = controller.me?.id ?? '';
  const author = controller.users.get(message.author_id);
  const bubble = h(
    'div',
    { class: 'bubble', tabindex: '0' },
    showAuthor && first && !mine ? h('span', { class: 'msg-author', 'data-testid': 'message-author' }, author?.display_name ?? t('chat.someone')) : null,
    message.deleted
      ? h('span', { class: 'msg-deleted', 'data-testid': 'message-deleted' }, t('chat.deleted'))
      : [
        message.attachments.length ? h('div', { class: 'msg-attachments' }, message.attachments.map((a) => attachmentView(controller, a))) : null,
        message.text ? h('span', { class: 'msg-text', 'data-testid': 'message-text' }, richText(message.text)) : null,
      ],
    h(
      'span',
      { class: 'msg-meta' },
      message.edited_at && !message.deleted ? h('span', { class: 'msg-edited', 'data-testid': 'message-edited' }, t('chat.edited')) : null,
      h('time', { datetime: message.created_at }, clockTime(message.created_at, getLanguage())),
      mine && receipt ? receiptView(receipt) : null,
    ),
  );
  const reactions = message.reactions.length && !message.deleted
    ? h(
      'div',
      { class: 'msg-reactions' },
      message.reactions.map((r) =>
        h('button', {
          class: 'reaction',
          type: 'button',
          'aria-pressed': String(r.user_ids.includes(me)),
          'data-testid': 'message-reaction',
          'data-emoji': r.emoji,
          title: r.user_ids.map((id) => controller.users.get(id)?.display_name ?? '').filter(Boolean).join(', '),
          onclick: () => actions.react(message, r.emoji),
        }, `${r.emoji} ${r.user_ids.length}`),
      ),
    )
    : null;
  const row = h(
    'div',
    {
      class: `msg${mine ? ' msg-mine' : ''}${first ? ' msg-first' : ''}`,
      'data-testid': 'message',
      'data-id': message.id,
      'data-mine': String(mine),
      'data-state': message.failed ? 'failed' : message.pending ? 'pending' : 'stored',
    },
    bubble,
    reactions,
    message.failed
      ? h('button', { class: 'btn btn-small btn-danger-quiet msg-retry', type: 'button', 'data-testid': 'message-retry', onclick: () => actions.retry(message) }, icon('refresh', { size: 16 }), t('chat.retry'))
      : null,
  );
  if (!message.pending && !message.failed && !message.deleted) attachMenu(bubble, () => openMessageMenu(controller, message, mine, actions));
  return row;
}

/**
 * Opens the menu on right-click, on a long press, and on Shift+F10 / the context-menu key.
 * @param {HTMLElement} el
 * @param {() => void} open
 */
function attachMenu(el, open) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let opened = false;
  el.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    if (opened) return;
    open();
  });
  el.addEventListener('pointerdown', (event) => {
    if (event.pointerType === 'mouse') return;
    opened = false;
    timer = setTimeout(() => {
      opened = true;
      open();
    }, LONG_PRESS_MS);
  });
  for (const type of ['pointerup', 'pointercancel', 'pointermove', 'pointerleave']) {
    el.addEventListener(type, (event) => {
      if (type === 'pointermove' && Math.hypot(/** @type {PointerEvent} */ (event).movementX, /** @type {PointerEvent} */ (event).movementY) < 4) return;
      clearTimeout(timer);
    });
  }
  el.addEventListener('keydown', (event) => {
    // Keys on a link inside belong to the link.
    if (event.target !== el) return;
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey) || event.key === 'Enter') {
      event.preventDefault();
      open();
    }
  });
}

/**
 * @param {Controller} controller
 * @param {Message} message
 * @param {boolean} mine
 * @param {MessageActions} actions
 */
function openMessageMenu(controller, message, mine, actions) {
  const me = controller.me?.id ?? '';
  const sheet = openSheet({
    title: t('chat.messageMenu'),
    testid: 'message-menu',
    content: [
      h(
        'div',
        { class: 'reaction-picker', role: 'group', 'aria-label': t('chat.react') },
        REACTIONS.map((emoji, i) =>
          h('button', {
            class: 'reaction-choice',
            type: 'button',
            'data-testid': `react-${i}`,
            'data-emoji': emoji,
            'aria-pressed': String(message.reactions.some((r) => r.emoji === emoji && r.user_ids.includes(me))),
            onclick: () => {
              sheet.close();
              actions.react(message, emoji);
            },
          }, emoji),
        ),
      ),
      h(
        'div',
        { class: 'menu-list' },
        message.text
          ? h('button', {
            class: 'menu-item',
            type: 'button',
            'data-testid': 'message-copy',
            onclick: async () => {
              sheet.close();
              try {
                await navigator.clipboard.writeText(message.text);
                toast(t('chat.copied'));
              } catch {
                toast(t('journal.copyFailed'), { kind: 'error' });
              }
            },
          }, icon('copy', { size: 20 }), t('chat.copy'))
          : null,
        mine && message.text
          ? h('button', { class: 'menu-item', type: 'button', 'data-testid': 'message-edit', onclick: () => { sheet.close(); actions.edit(message); } }, icon('edit', { size: 20 }), t('chat.edit'))
          : null,
        mine
          ? h('button', { class: 'menu-item menu-danger', type: 'button', 'data-testid': 'message-delete', onclick: () => { sheet.close(); actions.remove(message); } }, icon('trash', { size: 20 }), t('chat.delete'))
          : null,
      ),
    ],
  });
}

/**
 * Runs a chat action and shows its error.
 * @param {Promise<unknown>} promise
 */
export function reportErrors(promise) {
  promise.catch((error) => toast(errorText(error), { kind: 'error' }));
}
