// @ts-check
/**
 * A conversation on screen (CHAT-1 … CHAT-8, GRP-4): its history with paging upwards, the composer
 * with drafts, attachments and the typing announcement, edits, deletes, reactions, receipts and
 * read markers while the newest message is visible and the app is in front.
 */
import { Disposer, h, replace } from '../dom.js';
import { getLanguage, t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { confirmSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { activeTypists, formatSize, layoutMessages, receiptOf } from '../logic/chat.js';
import { dayHeading } from '../logic/journal.js';
import { effectiveOf, presenceLabelKey } from '../logic/presence.js';
import { messageBubble, reportErrors } from './chat-message.js';
import { openContactDetails } from './contact-details.js';
import { errorText } from './error-text.js';
import { groupAvatar } from './group-avatar.js';
import { openGroupDetails } from './group-sheets.js';
import { chatTargetFromLocation, leaveChatScreen } from './routes.js';

/**
 * @typedef {import('../controller.js').Controller} Controller
 * @typedef {import('../logic/chat.js').Message} Message
 * @typedef {import('../logic/chat.js').Attachment} Attachment
 * @typedef {{key: number, file: File, attachment: Attachment | null}} Upload
 */

/** Distance from the bottom (px) that still counts as "the newest message is visible". */
const NEAR_BOTTOM = 48;

/**
 * @param {HTMLElement} container
 * @param {Controller} controller
 * @param {string} conversationId
 * @returns {() => void} unmount
 */
export function mountChat(container, controller, conversationId) {
  /** A search hit's message to show, looked for at most TARGET_PAGES_MAX pages back. */
  let target = chatTargetFromLocation();
  let targetPages = 0;
  const disposer = new Disposer();
  const chat = controller.chat;
  const id = conversationId;
  chat.openId = id;
  disposer.add(() => {
    if (chat.openId === id) chat.openId = null;
  });
  /** @type {Message | null} the message the composer edits */
  let editing = null;
  /** @type {Upload[]} */
  let uploads = [];
  let uploadKey = 0;
  let loadingOlder = false;
  let firstRender = true;
  /** @type {Map<string, {signature: string, el: HTMLElement}>} */
  let bubbles = new Map();
  let lastNewestId = '';

  // ---- Header -------------------------------------------------------------------------------
  const avatarSlot = h('span', { class: 'chat-avatar' });
  const title = h('h1', { class: 'chat-title', 'data-testid': 'chat-title' });
  const subtitle = h('span', { class: 'chat-subtitle', 'data-testid': 'chat-subtitle' });
  const menuButton = h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'chat-info', 'aria-label': t('chat.info'), onclick: () => showInfo() }, icon('info'));
  const header = h(
    'header',
    { class: 'chat-head' },
    h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'chat-back', 'aria-label': t('chat.back'), onclick: () => leaveChatScreen() }, icon('back')),
    h('button', { class: 'chat-head-main', type: 'button', onclick: () => showInfo() }, avatarSlot, h('span', { class: 'chat-head-text' }, title, subtitle)),
    menuButton,
  );

  // ---- Messages -----------------------------------------------------------------------------
  const older = h('div', { class: 'chat-older', 'data-testid': 'chat-older' });
  const list = h('div', { class: 'chat-list', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.messages') });
  const scroller = h('div', { class: 'chat-scroll', 'data-testid': 'chat-messages', onscroll: () => onScroll() }, older, list);
  const jump = h('button', { class: 'chat-jump', type: 'button', hidden: true, 'data-testid': 'chat-new-below', onclick: () => scrollToBottom() }, icon('chevron', { size: 16, class: 'icon chat-jump-icon' }), t('chat.newBelow'));
  const typing = h('div', { class: 'chat-typing', 'data-testid': 'chat-typing', 'aria-live': 'polite' });

  // ---- Composer -----------------------------------------------------------------------------
  const editBanner = h('div', { class: 'chat-banner', hidden: true, 'data-testid': 'chat-editing' });
  const uploadRow = h('div', { class: 'chat-uploads', 'data-testid': 'chat-uploads' });
  const fileInput = h('input', { type: 'file', multiple: true, class: 'visually-hidden', 'data-testid': 'chat-file', tabindex: '-1', onchange: () => pickFiles() });
  const input = h('textarea', {
    class: 'chat-input',
    rows: 1,
    placeholder: t('chat.placeholder'),
    'aria-label': t('chat.placeholder'),
    'data-testid': 'chat-input',
    enterkeyhint: 'send',
    oninput: () => onInput(),
    onkeydown: (/** @type {KeyboardEvent} */ event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape' && editing) {
        stopEditing();
      }
    },
  });
  const send = h('button', { class: 'icon-btn chat-send', type: 'submit', 'data-testid': 'chat-send', 'aria-label': t('chat.send') }, sendIcon());
  const composer = h(
    'form',
    { class: 'composer', onsubmit: (/** @type {Event} */ event) => { event.preventDefault(); submit(); } },
    h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'chat-attach', 'aria-label': t('chat.attach'), onclick: () => fileInput.click() }, icon('plus')),
    input,
    send,
    fileInput,
  );

  container.replaceChildren(
    h('section', { class: 'chat', 'data-testid': 'chat', 'data-conversation': id }, header, h('div', { class: 'chat-body' }, scroller, jump), typing, editBanner, uploadRow, composer),
  );

  // ---- Header content -----------------------------------------------------------------------
  const conversation = () => chat.conversations.get(id);
  const peer = () => {
    const c = conversation();
    return c?.kind === 'direct' && c.peer_id ? controller.users.get(c.peer_id) : undefined;
  };

  let headKey = '';
  const renderHead = () => {
    const c = conversation();
    const other = peer();
    const group = c?.group_id ? controller.groups.get(c.group_id) : undefined;
    const name = other?.display_name ?? group?.name ?? c?.title ?? '';
    title.textContent = name;
    const key = `${other?.id}:${other?.avatar_version}:${group?.id}:${group?.name}:${controller.groups.pictureVersion(group?.id ?? '')}`;
    if (key !== headKey) {
      headKey = key;
      if (other) replace(avatarSlot, avatar(controller, other, { size: 'sm' }));
      else if (c?.group_id) replace(avatarSlot, groupAvatar(controller, c.group_id, name, 'sm'));
      else replace(avatarSlot);
    }
    const typists = activeTypists(chat.typing.get(id), Date.now());
    if (typists.length) {
      const names = typists.map((u) => controller.users.get(u)?.display_name.split(/\s+/)[0] ?? t('chat.someone'));
      const text = names.length === 1 ? t('chat.typing.one', { name: names[0] }) : names.length === 2 ? t('chat.typing.two', { a: names[0], b: names[1] }) : t('chat.typing.many', { n: names.length });
      typing.textContent = text;
      typing.hidden = false;
    } else {
      typing.textContent = '';
      typing.hidden = true;
    }
    if (other) {
      subtitle.textContent = other.presence?.text?.trim() || t(presenceLabelKey(other.presence));
      subtitle.dataset.presence = effectiveOf(other.presence);
    } else if (c?.kind === 'group') {
      subtitle.textContent = t('chat.memberCount', { n: group?.member_ids.length ?? c.members?.length ?? 0 }) + (c.muted ? ` · ${t('chat.muted')}` : '');
      delete subtitle.dataset.presence;
    }
    document.title = name ? `${name} – Teamline` : 'Teamline';
  };

  const showInfo = () => {
    const c = conversation();
    const other = peer();
    if (other) openContactDetails(controller, other);
    else if (c?.group_id) openGroupDetails(controller, c.group_id);
  };

  // ---- Message list -------------------------------------------------------------------------
  /** @type {import('./chat-message.js').MessageActions} */
  const actions = {
    react: (message, emoji) => reportErrors(chat.react(id, message, emoji)),
    edit: (message) => startEditing(message),
    remove: async (message) => {
      const ok = await confirmSheet({ title: t('chat.delete'), message: t('chat.deleteConfirm'), confirmLabel: t('chat.delete'), danger: true, testid: 'message-delete-confirm' });
      if (ok) reportErrors(chat.remove(id, message.id));
    },
    retry: (message) => {
      if (message.client_id) reportErrors(chat.retry(id, message.client_id));
    },
  };

  const isNearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= NEAR_BOTTOM;

  const scrollToBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
    jump.hidden = true;
    markReadIfSeen();
  };

  /** The first message at least partly on screen, and where it is. */
  const readingPosition = () => {
    const top = scroller.getBoundingClientRect().top;
    for (const { el } of bubbles.values()) {
      const box = el.getBoundingClientRect();
      if (box.bottom > top) return { id: el.getAttribute('data-id') ?? '', top: box.top };
    }
    return null;
  };

  const renderMessages = () => {
    const history = chat.history(id);
    if (!history) {
      replace(older, h('span', { class: 'muted' }, t('common.loading')));
      return;
    }
    const me = controller.me?.id ?? null;
    const c = conversation();
    const isGroup = c?.kind === 'group';
    const seqOf = chat.seqLookup(id);
    const now = controller.serverNow();
    const language = getLanguage();
    const wasAtBottom = firstRender || isNearBottom();
    const previousFirst = list.querySelector('[data-testid="message"]')?.getAttribute('data-id') ?? null;
    const reading = wasAtBottom ? null : readingPosition(); // at the bottom it stays there

    /** @type {Map<string, {signature: string, el: HTMLElement}>} */
    const next = new Map();
    const nodes = layoutMessages(history.messages, (iso) => dayHeading(iso, now, language).key).map((item) => {
      if (item.kind === 'day') {
        const heading = dayHeading(item.at, now, language);
        const label = heading.kind === 'today' ? t('journal.today') : heading.kind === 'yesterday' ? t('journal.yesterday') : heading.label;
        return h('div', { class: 'chat-day', role: 'separator' }, h('span', null, label));
      }
      const { message, first } = item;
      const mine = message.author_id === me;
      const receipt = mine ? receiptOf(message, c?.members, me, seqOf) : null;
      const signature = JSON.stringify([message.text, message.edited_at, message.deleted, message.reactions, message.pending, message.failed, message.attachments.length, receipt, first, isGroup]);
      const old = bubbles.get(message.id);
      const el = old && old.signature === signature ? old.el : messageBubble(controller, message, { mine, first, showAuthor: isGroup, receipt, actions });
      if (receipt) el.dataset.receipt = receipt;
      next.set(message.id, { signature, el });
      return el;
    });
    bubbles = next;
    list.replaceChildren(...nodes);
    if (history.messages.length === 0) list.append(h('p', { class: 'chat-empty', 'data-testid': 'chat-empty' }, t('chat.empty')));
    replace(older, history.complete ? (history.messages.length ? h('span', { class: 'chat-start' }, t('chat.start')) : null) : h('button', { class: 'btn btn-small btn-secondary', type: 'button', 'data-testid': 'chat-load-older', onclick: () => loadOlder() }, t('chat.loadOlder')));

    const newest = history.messages[history.messages.length - 1];
    const newestId = newest?.id ?? '';
    const newArrived = newestId !== lastNewestId && !firstRender;
    lastNewestId = newestId;
    const firstNow = list.querySelector('[data-testid="message"]')?.getAttribute('data-id') ?? null;
    if (wasAtBottom || (newArrived && newest?.author_id === me)) {
      scroller.scrollTop = scroller.scrollHeight;
      jump.hidden = true;
    } else if (previousFirst && firstNow !== previousFirst && reading) {
      // Older messages came in above: keep the one being read where it was (this, not the
      // browser's scroll anchoring, which the stylesheet turns off here: both would move it).
      const el = bubbles.get(reading.id)?.el;
      if (el) scroller.scrollTop += el.getBoundingClientRect().top - reading.top;
    } else if (newArrived) {
      jump.hidden = false;
    }
    firstRender = false;
    if (showTarget()) return;
    markReadIfSeen();
    fillScreen();
  };

  /** The message a search hit named (`?m=`): pages back until it is loaded, then shows it.
   * @returns {boolean} true while it is still being looked for or was just shown */
  const showTarget = () => {
    if (!target) return false;
    const found = bubbles.get(target)?.el;
    const history = chat.history(id);
    if (found) {
      target = null;
      found.classList.add('message-target');
      found.scrollIntoView({ block: 'center' });
      return true;
    }
    if (history && !history.complete && targetPages < TARGET_PAGES_MAX) {
      targetPages += 1;
      loadOlder();
      return true;
    }
    if (history) target = null; // deleted, or too far back: the newest messages stay shown
    return false;
  };

  /** Loads older pages until the list can scroll (a short history fills the screen). */
  const fillScreen = () => {
    const history = chat.history(id);
    if (history && !history.complete && scroller.scrollHeight <= scroller.clientHeight + 8) loadOlder();
  };

  const loadOlder = async () => {
    if (loadingOlder) return;
    loadingOlder = true;
    older.setAttribute('aria-busy', 'true');
    try {
      await chat.loadOlder(id);
    } catch (error) {
      toast(errorText(error), { kind: 'error' });
    } finally {
      loadingOlder = false;
      older.removeAttribute('aria-busy');
    }
  };

  const onScroll = () => {
    if (scroller.scrollTop < 120 && !chat.history(id)?.complete) loadOlder();
    if (isNearBottom()) {
      jump.hidden = true;
      markReadIfSeen();
    }
  };

  const inFront = () => document.visibilityState === 'visible' && controller.clientState.foreground !== false;

  /** Read markers go out only while the newest message is on screen and the app is in front. */
  const markReadIfSeen = () => {
    if (chat.history(id) && isNearBottom() && inFront()) chat.markRead(id);
  };

  // ---- Composer actions ---------------------------------------------------------------------
  const autosize = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
  };

  const onInput = () => {
    autosize();
    if (editing) return;
    chat.saveDraft(id, input.value);
    if (input.value.trim()) chat.announceTyping(id);
  };

  /** @param {Message} message */
  const startEditing = (message) => {
    editing = message;
    replace(
      editBanner,
      icon('edit', { size: 16 }),
      h('span', null, t('chat.editing')),
      h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'chat-edit-cancel', 'aria-label': t('common.cancel'), onclick: () => stopEditing() }, icon('close', { size: 18 })),
    );
    editBanner.hidden = false;
    input.value = message.text;
    autosize();
    input.focus();
  };

  const stopEditing = () => {
    editing = null;
    editBanner.hidden = true;
    input.value = chat.draft(id);
    autosize();
  };

  const renderUploads = () => {
    replace(
      uploadRow,
      uploads.map((u) =>
        h(
          'span',
          { class: 'upload-chip', 'data-testid': 'chat-upload', 'data-ready': String(Boolean(u.attachment)) },
          icon(u.file.type.startsWith('image/') ? 'camera' : 'download', { size: 16 }),
          h('span', { class: 'upload-name' }, u.file.name),
          h('small', null, u.attachment ? formatSize(u.file.size, getLanguage()) : t('chat.uploading')),
          h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('chat.removeAttachment', { name: u.file.name }), onclick: () => { uploads = uploads.filter((x) => x !== u); renderUploads(); } }, icon('close', { size: 16 })),
        ),
      ),
    );
    send.disabled = uploads.some((u) => !u.attachment);
  };

  const pickFiles = () => {
    for (const file of fileInput.files ?? []) {
      /** @type {Upload} */
      const upload = { key: ++uploadKey, file, attachment: null };
      uploads = [...uploads, upload];
      chat.upload(id, file).then(
        (attachment) => {
          upload.attachment = attachment;
          renderUploads();
        },
        (error) => {
          uploads = uploads.filter((u) => u !== upload);
          renderUploads();
          toast(error?.code === 'file-too-large' ? t('chat.fileTooLarge', { name: file.name }) : errorText(error), { kind: 'error' });
        },
      );
    }
    fileInput.value = '';
    renderUploads();
  };

  const submit = () => {
    const text = input.value.trim();
    if (editing) {
      const message = editing;
      if (text && text !== message.text) reportErrors(chat.edit(id, message.id, text));
      stopEditing();
      return;
    }
    if (uploads.some((u) => !u.attachment)) return;
    const attachments = /** @type {Attachment[]} */ (uploads.map((u) => u.attachment));
    if (!text && attachments.length === 0) return;
    input.value = '';
    uploads = [];
    renderUploads();
    autosize();
    chat.saveDraft(id, '');
    reportErrors(chat.send(id, text, attachments));
    input.focus();
  };

  // ---- Wiring -------------------------------------------------------------------------------
  disposer.listen(controller, 'messages', (event) => event.detail === id && renderMessages());
  disposer.listen(controller, 'conversation', (event) => {
    if (event.detail !== id) return;
    renderHead();
    renderMessages();
  });
  disposer.listen(controller, 'typing', (event) => event.detail === id && renderHead());
  disposer.listen(controller, 'user', renderHead);
  disposer.listen(controller, 'users', renderHead);
  disposer.listen(controller, 'groups', renderHead);
  disposer.listen(controller, 'conversation-removed', (event) => {
    if (event.detail !== id) return;
    toast(t('chat.removed'));
    leaveChatScreen();
  });
  disposer.listen(document, 'visibilitychange', markReadIfSeen);
  disposer.listen(window, 'focus', markReadIfSeen);
  disposer.add(() => {
    if (!editing) chat.saveDraft(id, input.value);
    document.title = 'Teamline';
  });

  input.value = chat.draft(id);
  renderHead();
  renderMessages();
  renderUploads();
  chat.conversation(id).then(
    () => {
      renderHead();
      const c = conversation();
      if (c?.group_id && !controller.groups.get(c.group_id)) controller.groups.fetch(c.group_id).catch(() => {});
    },
    (error) => {
      if (error?.status === 404) {
        toast(t('chat.notFound'), { kind: 'error' });
        leaveChatScreen();
      }
    },
  );
  if (!chat.history(id)) chat.loadHistory(id).catch((error) => replace(older, h('span', { class: 'form-error' }, errorText(error))));
  // Wait for the layout before sizing the text field.
  requestAnimationFrame(autosize);
  return () => disposer.dispose();
}

const TARGET_PAGES_MAX = 40;

/** A paper plane, drawn here (the shared icon set has none). */
function sendIcon() {
  const template = document.createElement('template');
  template.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M4 12 20 4l-4 16-4-6.5z"/><path d="M12 13.5 20 4"/></svg>';
  return /** @type {SVGSVGElement} */ (template.content.firstElementChild);
}
