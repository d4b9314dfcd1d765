// @ts-check
/**
 * Groups (GRP-1 … GRP-3): the sheet that creates one (name, picture, members) and the sheet that
 * manages one (rename, picture, members, mute, leave).
 */
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { confirmSheet, openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { visibleColleagues } from '../logic/contacts.js';
import { errorText } from './error-text.js';
import { groupAvatar } from './group-avatar.js';
import { leaveChatScreen, openChatScreen } from './routes.js';

/**
 * @typedef {import('../controller.js').Controller} Controller
 * @typedef {import('../controller-groups.js').Group} Group
 */

/**
 * A filterable list of colleagues with check boxes.
 * @param {Controller} controller
 * @param {{exclude: Set<string>, testid: string}} options
 * @returns {{el: HTMLElement, chosen: Set<string>}}
 */
function memberPicker(controller, { exclude, testid }) {
  /** @type {Set<string>} */
  const chosen = new Set();
  const list = h('ul', { class: 'contact-list member-list', 'data-testid': testid });
  const filter = h('input', { class: 'input input-search', type: 'search', autocomplete: 'off', placeholder: t('group.filterMembers'), 'aria-label': t('group.filterMembers'), 'data-testid': `${testid}-filter`, oninput: () => render() });
  const render = () => {
    const people = visibleColleagues(controller.users.values(), { query: filter.value, excludeId: controller.me?.id ?? null }).filter((u) => !exclude.has(u.id));
    replace(
      list,
      people.map((user) =>
        h(
          'li',
          { class: 'contact' },
          h(
            'label',
            { class: 'contact-button member-option', 'data-testid': `member-option-${user.id}` },
            avatar(controller, user, { size: 'sm', presence: false }),
            h('span', { class: 'contact-main' }, h('span', { class: 'contact-name' }, user.display_name)),
            h('input', { type: 'checkbox', class: 'member-check', checked: chosen.has(user.id), onchange: (/** @type {Event} */ e) => (/** @type {HTMLInputElement} */ (e.target).checked ? chosen.add(user.id) : chosen.delete(user.id)) }),
          ),
        ),
      ),
    );
  };
  render();
  return { el: h('div', { class: 'member-picker' }, h('div', { class: 'filter-bar' }, icon('search', { size: 18, class: 'filter-icon' }), filter), list), chosen };
}

/**
 * A picture chooser with a preview.
 * @param {string} testid
 * @returns {{el: HTMLElement, file: () => File | null}}
 */
function pictureField(testid) {
  /** @type {File | null} */
  let chosen = null;
  const preview = h('img', { class: 'group-picture-preview', alt: '', hidden: true });
  const input = h('input', {
    type: 'file',
    accept: 'image/*',
    class: 'visually-hidden',
    'data-testid': testid,
    onchange: () => {
      chosen = input.files?.[0] ?? null;
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.hidden = !chosen;
      if (chosen) preview.src = URL.createObjectURL(chosen);
    },
  });
  const el = h('label', { class: 'btn btn-secondary picture-btn' }, icon('camera', { size: 18 }), t('group.picture'), input);
  return { el: h('div', { class: 'picture-field' }, preview, el), file: () => chosen };
}

/**
 * Creates a group and opens its chat (GRP-1).
 * @param {Controller} controller
 */
export function openGroupForm(controller) {
  const name = h('input', { class: 'input', type: 'text', maxlength: 100, required: true, 'data-testid': 'group-name', autocomplete: 'off', oninput: () => { error.hidden = true; } });
  const picture = pictureField('group-picture-input');
  const picker = memberPicker(controller, { exclude: new Set(), testid: 'group-members' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'group-create' }, t('group.create'));
  const form = h(
    'form',
    {
      class: 'form',
      novalidate: true,
      onsubmit: async (/** @type {Event} */ event) => {
        event.preventDefault();
        error.hidden = true;
        if (!name.value.trim()) {
          error.textContent = t('group.nameRequired');
          error.hidden = false;
          name.focus();
          return;
        }
        submit.disabled = true;
        try {
          const group = await controller.groups.create(name.value.trim(), [...picker.chosen], picture.file());
          sheet.close();
          toast(t('group.created', { name: group.name }), { kind: 'success' });
          openChatScreen(group.conversation_id);
        } catch (err) {
          error.textContent = errorText(err);
          error.hidden = false;
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('group.name')), name),
    picture.el,
    h('div', { class: 'form-section' }, h('span', { class: 'field-label' }, t('group.members')), picker.el),
    error,
    submit,
  );
  const sheet = openSheet({ title: t('group.new'), testid: 'group-form', content: form });
  name.focus();
}

/**
 * Manages a group (GRP-2, GRP-3): rename, picture, members, mute, leave.
 * @param {Controller} controller
 * @param {string} groupId
 */
export function openGroupDetails(controller, groupId) {
  const body = h('div', { class: 'group-details' }, h('p', { class: 'muted' }, t('common.loading')));
  const sheet = openSheet({ title: t('group.manage'), testid: 'group-details', content: body, onClose: () => controller.removeEventListener('groups', render) });

  // The fields live across renders: an event while someone types must not take their text.
  let nameEdited = false;
  const name = h('input', { class: 'input', type: 'text', maxlength: 100, 'data-testid': 'group-rename', oninput: () => { nameEdited = true; } });
  const picture = h('input', {
    type: 'file',
    accept: 'image/*',
    class: 'visually-hidden',
    'data-testid': 'group-picture-change',
    onchange: async () => {
      const file = picture.files?.[0];
      if (!file) return;
      try {
        await controller.groups.setPicture(groupId, file);
        toast(t('group.pictureSaved'), { kind: 'success' });
      } catch (error) {
        toast(errorText(error), { kind: 'error' });
      }
    },
  });
  const muted = h('input', {
    type: 'checkbox',
    class: 'switch',
    role: 'switch',
    'data-testid': 'group-mute',
    'aria-label': t('group.mute'),
    onchange: async () => {
      const group = controller.groups.get(groupId);
      if (!group) return;
      try {
        await controller.chat.setMuted(group.conversation_id, muted.checked);
      } catch (error) {
        muted.checked = !muted.checked;
        toast(errorText(error), { kind: 'error' });
      }
    },
  });

  const render = () => {
    const group = controller.groups.get(groupId);
    if (!group) {
      replace(body, h('p', { class: 'muted' }, t('group.gone')));
      return;
    }
    const me = controller.me?.id;
    if (!nameEdited) name.value = group.name;
    muted.checked = Boolean(controller.chat.conversations.get(group.conversation_id)?.muted ?? group.muted);
    const members = group.member_ids
      .map((id) => controller.users.get(id))
      .filter((u) => u !== undefined)
      .sort((a, b) => a.display_name.localeCompare(b.display_name));
    replace(
      body,
      h('div', { class: 'details-head' }, groupAvatar(controller, group.id, group.name, 'xl'), h('label', { class: 'btn btn-secondary btn-small picture-btn' }, icon('camera', { size: 16 }), t('group.changePicture'), picture)),
      h(
        'form',
        {
          class: 'inline-form',
          onsubmit: async (/** @type {Event} */ event) => {
            event.preventDefault();
            const next = name.value.trim();
            nameEdited = false;
            if (!next || next === group.name) return;
            try {
              await controller.groups.rename(groupId, next);
              toast(t('group.renamed', { name: next }), { kind: 'success' });
            } catch (error) {
              toast(errorText(error), { kind: 'error' });
            }
          },
        },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('group.name')), h('span', { class: 'inline-row' }, name, h('button', { class: 'btn btn-secondary', type: 'submit', 'data-testid': 'group-rename-save' }, t('common.save')))),
      ),
      h('label', { class: 'setting-row' }, h('span', { class: 'setting-text' }, h('span', { class: 'setting-label' }, t('group.mute')), h('span', { class: 'setting-hint' }, t('group.muteHint'))), muted),
      h(
        'div',
        { class: 'detail-section' },
        h('div', { class: 'group-head' }, h('h3', { class: 'section-title' }, t('group.memberCount', { n: group.member_ids.length })), h('button', { class: 'btn btn-small btn-secondary', type: 'button', 'data-testid': 'group-add-members', onclick: () => openAddMembers(controller, group) }, icon('plus', { size: 16 }), t('group.addChosen'))),
        h(
          'ul',
          { class: 'member-rows', 'data-testid': 'group-member-list' },
          members.map((user) =>
            h(
              'li',
              { class: 'member-row', 'data-testid': `group-member-${user.id}` },
              avatar(controller, user, { size: 'sm' }),
              h('span', { class: 'member-name' }, user.id === me ? t('group.you', { name: user.display_name }) : user.display_name),
              user.id === me
                ? null
                : h('button', {
                  class: 'icon-btn',
                  type: 'button',
                  'aria-label': t('group.removeMember', { name: user.display_name }),
                  'data-testid': `group-remove-${user.id}`,
                  onclick: async () => {
                    try {
                      await controller.groups.removeMember(groupId, user.id);
                    } catch (error) {
                      toast(errorText(error), { kind: 'error' });
                    }
                  },
                }, icon('close', { size: 18 })),
            ),
          ),
        ),
      ),
      h('button', {
        class: 'btn btn-danger-quiet',
        type: 'button',
        'data-testid': 'group-leave',
        onclick: async () => {
          const ok = await confirmSheet({ title: t('group.leave'), message: t('group.leaveConfirm', { name: group.name }), confirmLabel: t('group.leave'), danger: true, testid: 'group-leave-confirm' });
          if (!ok) return;
          try {
            await controller.groups.leave(groupId);
            sheet.close();
            toast(t('group.left', { name: group.name }));
            leaveChatScreen();
          } catch (error) {
            toast(errorText(error), { kind: 'error' });
          }
        },
      }, icon('logout', { size: 18 }), t('group.leave')),
    );
  };
  controller.addEventListener('groups', render);
  render();
  controller.groups.fetch(groupId).catch(() => {});
}

/**
 * @param {Controller} controller
 * @param {Group} group
 */
function openAddMembers(controller, group) {
  const picker = memberPicker(controller, { exclude: new Set(group.member_ids), testid: 'group-add-list' });
  const sheet = openSheet({
    title: t('group.addMembers'),
    testid: 'group-add',
    content: [
      picker.el,
      h('button', {
        class: 'btn btn-primary btn-block',
        type: 'button',
        'data-testid': 'group-add-save',
        onclick: async () => {
          try {
            for (const id of picker.chosen) await controller.groups.addMember(group.id, id);
            sheet.close();
          } catch (error) {
            toast(errorText(error), { kind: 'error' });
          }
        },
      }, t('group.addChosen')),
    ],
  });
}
