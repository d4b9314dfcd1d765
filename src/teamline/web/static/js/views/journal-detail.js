// @ts-check
/** A call's details (JRNL-2, JRNL-3, JRNL-5): route, last calls with the party, call back, copy, delete. */
import { h, replace } from '../dom.js';
import { DICTIONARIES, getLanguage, t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { confirmSheet, openSheet } from '../components/sheet.js';
import { toast } from '../components/toast.js';
import { clockTime, copyText, formatDuration, partyLabel } from '../logic/journal.js';
import { errorText } from './error-text.js';
import { callNumber } from './search-actions.js';

/**
 * @typedef {import('../logic/journal.js').JournalEntry} JournalEntry
 * @typedef {import('../logic/journal.js').JournalDetail} JournalDetail
 */

/**
 * The icon of a call: missed (and the like) red, else by direction.
 * @param {JournalEntry} entry
 */
export function callIcon(entry) {
  const missed = entry.direction === 'inbound' && ['missed', 'rejected', 'busy'].includes(entry.result);
  return h(
    'span',
    { class: 'call-icon', 'data-result': entry.result, 'data-direction': entry.direction, 'data-missed': String(missed) },
    icon(missed ? 'callMissed' : entry.direction === 'inbound' ? 'callIn' : 'callOut', { size: 20 }),
  );
}

/**
 * A translated word for a value when the dictionary knows it, the value itself otherwise.
 * @param {string} prefix
 * @param {string} value
 */
export function known(prefix, value) {
  const key = `${prefix}.${value}`;
  return key in DICTIONARIES.en ? t(key) : value;
}

/** @param {string} iso */
function fullTime(iso) {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : new Intl.DateTimeFormat(getLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/**
 * @param {import('../controller.js').Controller} controller
 * @param {JournalEntry} entry what the list knows; the details load into the sheet
 */
export function openJournalDetail(controller, entry) {
  const party = partyLabel(entry.party);
  const body = h('div', { class: 'journal-detail', 'data-testid': 'journal-detail-body' }, h('p', { class: 'muted' }, t('common.loading')));
  /** @type {JournalDetail} */
  let detail = entry;

  const callBack = h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'journal-call-back', disabled: !entry.party?.number, onclick: () => callNumber(detail.party?.number) }, icon('phone', { size: 18 }), t('journal.callBack'));
  const copy = h(
    'button',
    {
      class: 'btn btn-secondary',
      type: 'button',
      'data-testid': 'journal-copy',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(copyText(detail));
          toast(t('journal.copied'), { kind: 'success', testid: 'journal-copied' });
        } catch {
          toast(t('journal.copyFailed'), { kind: 'error' });
        }
      },
    },
    icon('copy', { size: 18 }),
    t('journal.copy'),
  );
  const remove = h(
    'button',
    {
      class: 'btn btn-danger-quiet',
      type: 'button',
      'data-testid': 'journal-delete',
      'aria-label': t('journal.delete'),
      onclick: async () => {
        const ok = await confirmSheet({ title: t('journal.delete'), message: t('journal.deleteConfirm'), confirmLabel: t('journal.delete'), danger: true, testid: 'journal-delete-confirm' });
        if (!ok) return;
        try {
          await controller.records.deleteJournalEntry(entry.id);
          sheet.close();
        } catch (error) {
          toast(errorText(error), { kind: 'error' });
        }
      },
    },
    icon('trash', { size: 18 }),
  );

  /** @param {JournalDetail} d */
  const render = (d) => {
    const rows = /** @type {Array<[string, string]>} */ ([
      [t('journal.field.result'), `${t(`journal.direction.${d.direction}`)} · ${known('journal.result', d.result)}`],
      [t('journal.field.time'), fullTime(d.started_at)],
      [t('journal.field.talk'), formatDuration(d.talk_seconds) || '–'],
      [t('journal.field.ring'), d.ring_seconds ? t('journal.seconds', { n: d.ring_seconds }) : ''],
      [t('journal.field.team'), d.team_name ?? ''],
      [t('journal.field.device'), d.device ?? ''],
      [t('journal.field.kind'), d.internal ? t('journal.internal') : t('journal.external')],
    ]).filter(([, value]) => value);
    replace(
      body,
      h('dl', { class: 'details-list' }, rows.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)])),
      d.route?.length
        ? h(
          'section',
          { class: 'detail-section', 'data-testid': 'journal-route' },
          h('h3', { class: 'section-title' }, t('journal.route')),
          h('ol', { class: 'route' }, d.route.map((step) => h('li', null, h('span', { class: 'route-time' }, clockTime(step.at, getLanguage())), h('span', null, known('journal.event', step.event), step.target ? h('span', { class: 'muted' }, ` · ${step.target}`) : null)))),
        )
        : null,
      d.recent_with_party?.length
        ? h(
          'section',
          { class: 'detail-section', 'data-testid': 'journal-recent' },
          h('h3', { class: 'section-title' }, t('journal.recentWithParty')),
          h('ul', { class: 'recent-calls' }, d.recent_with_party.map((r) => h('li', null, callIcon(r), h('span', { class: 'recent-when' }, fullTime(r.started_at)), h('span', { class: 'muted' }, formatDuration(r.talk_seconds) || known('journal.result', r.result))))),
        )
        : null,
    );
  };

  const sheet = openSheet({
    title: party.title || t('journal.unknown'),
    testid: 'journal-detail',
    content: [
      h('div', { class: 'journal-detail-head' }, callIcon(entry), h('div', { class: 'journal-detail-party' }, party.number ? h('span', { class: 'number-value', 'data-testid': 'journal-detail-number' }, party.display ?? party.number) : null)),
      body,
      h('div', { class: 'button-row' }, callBack, copy, remove),
    ],
  });
  render(entry);
  controller.records
    .journalEntry(entry.id)
    .then((d) => {
      detail = d;
      callBack.disabled = !d.party?.number;
      render(d);
    })
    .catch((error) => {
      body.append(h('p', { class: 'form-error' }, errorText(error)));
    });
}
