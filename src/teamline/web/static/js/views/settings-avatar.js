// @ts-check
/** My profile picture (SET-1): upload with a preview, or generate from my initials. */
import { Disposer, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { avatar } from '../components/avatar.js';
import { icon } from '../components/icons.js';
import { openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { errorText } from './error-text.js';

const TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * @param {HTMLElement} section
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountAvatarSettings(section, controller) {
  const disposer = new Disposer();
  const head = h('div', { class: 'profile-card' });
  const file = h('input', { type: 'file', accept: TYPES.join(','), class: 'visually-hidden', 'data-testid': 'avatar-file', onchange: () => pick() });

  const render = () => {
    const me = controller.me;
    if (!me) return;
    replace(
      head,
      avatar(controller, me, { size: 'xl', presence: false }),
      h(
        'div',
        { class: 'profile-card-text' },
        h('strong', null, me.display_name),
        h('span', null, [me.login, me.extension ? `${t('contact.extension')} ${me.extension}` : null].filter(Boolean).join(' · ')),
        me.email ? h('span', null, me.email) : null,
      ),
    );
  };

  const pick = () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (!chosen) return;
    if (!TYPES.includes(chosen.type)) return toast(t('error.invalid-image'), { kind: 'error' });
    if (chosen.size > MAX_BYTES) return toast(t('error.file-too-large'), { kind: 'error' });
    preview(chosen);
  };

  /** @param {File} chosen */
  const preview = (chosen) => {
    const url = URL.createObjectURL(chosen);
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const use = h(
      'button',
      {
        class: 'btn btn-primary',
        type: 'button',
        'data-testid': 'avatar-upload-confirm',
        onclick: async () => {
          use.disabled = true;
          try {
            await controller.uploadAvatar(chosen);
            sheet.close();
            toast(t('settings.avatar.saved'), { kind: 'success' });
          } catch (err) {
            error.textContent = errorText(err);
            error.hidden = false;
            use.disabled = false;
          }
        },
      },
      t('settings.avatar.use'),
    );
    const sheet = openSheet({
      title: t('settings.avatar.preview'),
      testid: 'avatar-preview',
      onClose: () => URL.revokeObjectURL(url),
      content: [
        h('div', { class: 'avatar-preview' }, h('img', { src: url, alt: t('settings.avatar.preview') })),
        h('p', { class: 'sheet-text muted' }, t('settings.avatar.cropHint')),
        error,
        h('div', { class: 'button-row' }, h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => sheet.close() }, t('common.cancel')), use),
      ],
    });
  };

  const generate = async () => {
    try {
      await controller.generateAvatar();
      toast(t('settings.avatar.generated'), { kind: 'success' });
    } catch (err) {
      toast(errorText(err), { kind: 'error' });
    }
  };

  section.append(
    head,
    h(
      'div',
      { class: 'button-row' },
      h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'avatar-upload', onclick: () => file.click() }, icon('upload', { size: 18 }), t('settings.avatar.upload')),
      h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'avatar-generate', onclick: generate }, icon('sparkle', { size: 18 }), t('settings.avatar.generate')),
    ),
    file,
  );
  render();
  disposer.listen(controller, 'me', render);
  return () => disposer.dispose();
}
