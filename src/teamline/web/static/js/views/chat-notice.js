// @ts-check
/**
 * The in-app notification of a new message (CHAT-4): a banner at the top while the conversation
 * is not on screen; a tap opens it. One banner at a time; muted conversations stay quiet.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { openChatScreen } from './routes.js';

/** @type {HTMLElement | null} */
let shown = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/**
 * @param {import('../controller.js').Controller} controller
 * @param {{conversation: import('../logic/chat.js').Conversation, message: import('../logic/chat.js').Message}} incoming
 */
export function showIncoming(controller, { conversation, message }) {
  const author = controller.users.get(message.author_id)?.display_name ?? t('chat.someone');
  const title = conversation.kind === 'group' ? `${author} · ${conversation.title}` : author;
  const body = message.text || (message.attachments.length ? t('chat.attachmentNotice', { name: message.attachments[0].name }) : '');
  const close = () => {
    clearTimeout(timer);
    el.remove();
    if (shown === el) shown = null;
  };
  const el = h(
    'button',
    {
      class: 'chat-notice',
      type: 'button',
      popover: 'manual',
      'data-testid': 'chat-notice',
      'data-conversation': conversation.id,
      onclick: () => {
        close();
        openChatScreen(conversation.id);
      },
    },
    h('span', { class: 'chat-notice-icon' }, icon('chat', { size: 20 })),
    h('span', { class: 'chat-notice-text' }, h('strong', null, title), h('span', null, body)),
  );
  shown?.remove();
  clearTimeout(timer);
  shown = el;
  document.body.append(el);
  if (typeof el.showPopover === 'function') el.showPopover();
  timer = setTimeout(close, 6000);
}
