// @ts-check
/** The call journal (JRNL-1 … JRNL-5): my calls by day, filter chips, live entries, details. */
import { Disposer, h, replace } from '../dom.js';
import { getLanguage, t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { FILTERS, clockTime, formatDuration, groupByDay, journalParams, matchesFilter, mergeEntries, partyLabel } from '../logic/journal.js';
import { errorText } from './error-text.js';
import { callIcon, known, openJournalDetail } from './journal-detail.js';
import { callNumber } from './search-actions.js';

/**
 * @typedef {import('../logic/journal.js').JournalEntry} JournalEntry
 * @typedef {import('../logic/journal.js').JournalFilter} JournalFilter
 */

const PAGE = 50;

/**
 * @param {HTMLElement} container
 * @param {import('../controller.js').Controller} controller
 * @returns {() => void} unmount
 */
export function mountJournal(container, controller) {
  const disposer = new Disposer();
  /** @type {JournalFilter} */
  let filter = 'all';
  /** @type {JournalEntry[] | null} */
  let entries = null;
  let more = false;
  /** @type {unknown} */
  let failure = null;
  let generation = 0;

  const hideSystem = () => Boolean(controller.settings?.hide_system_calls);

  const chips = FILTERS.map((f) =>
    h('button', { class: 'chip filter-chip', type: 'button', 'data-testid': `journal-filter-${f}`, 'aria-pressed': String(f === filter), onclick: () => setFilter(f) }, t(`journal.filter.${f}`)),
  );
  const list = h('div', { class: 'journal-list', 'data-testid': 'journal-list' });
  const empty = h('div', { class: 'list-empty', 'data-testid': 'journal-empty', hidden: true });
  const moreButton = h('button', { class: 'btn btn-secondary btn-block', type: 'button', 'data-testid': 'journal-more', hidden: true, onclick: () => load(true) }, t('journal.more'));

  /** @param {JournalFilter} f */
  const setFilter = (f) => {
    if (f === filter) return;
    filter = f;
    for (const chip of chips) chip.setAttribute('aria-pressed', String(chip.dataset.testid === `journal-filter-${f}`));
    entries = null;
    render();
    load(false);
  };

  /** @param {boolean} append */
  const load = async (append) => {
    const mine = append ? generation : ++generation;
    const before = append && entries?.length ? entries[entries.length - 1].id : null;
    moreButton.disabled = true;
    try {
      const answer = await controller.records.listJournal(journalParams(filter, { limit: PAGE, before }));
      if (mine !== generation) return;
      entries = append && entries ? mergeEntries(entries, answer.entries) : answer.entries;
      more = answer.entries.length >= PAGE;
      failure = null;
    } catch (error) {
      if (mine !== generation) return;
      failure = error;
    }
    moreButton.disabled = false;
    render();
  };

  /** @param {JournalEntry} entry */
  const row = (entry) => {
    const party = partyLabel(entry.party);
    const details = [party.number, entry.team_name ? t('journal.viaTeam', { team: entry.team_name }) : '', entry.result === 'answered' || entry.result === 'missed' ? '' : known('journal.result', entry.result)].filter(Boolean).join(' · ');
    const missed = entry.direction === 'inbound' && entry.result === 'missed';
    return h(
      'li',
      { class: 'contact journal-entry', 'data-testid': `journal-entry-${entry.id}`, 'data-result': entry.result, 'data-direction': entry.direction, 'data-missed': String(missed) },
      h(
        'button',
        { class: 'contact-button', type: 'button', onclick: () => openJournalDetail(controller, entry) },
        callIcon(entry),
        h(
          'span',
          { class: 'contact-main' },
          h('span', { class: 'contact-name journal-party' }, party.title || t('journal.unknown')),
          h('span', { class: 'contact-status' }, h('span', { class: 'visually-hidden' }, `${t(`journal.direction.${entry.direction}`)}, ${known('journal.result', entry.result)}: `), details || (entry.internal ? t('journal.internal') : t('journal.external'))),
        ),
        h('span', { class: 'contact-meta' }, h('span', { class: 'journal-time' }, clockTime(entry.started_at, getLanguage())), h('span', { class: 'journal-duration' }, formatDuration(entry.talk_seconds))),
      ),
      entry.party?.number
        ? h('button', { class: 'icon-btn call-btn', type: 'button', 'aria-label': t('journal.callBack'), 'data-testid': `journal-call-${entry.id}`, onclick: () => callNumber(entry.party.number) }, icon('phone', { size: 20 }))
        : null,
    );
  };

  const render = () => {
    const visible = (entries ?? []).filter((e) => matchesFilter(e, filter, hideSystem()));
    const groups = groupByDay(visible, Date.now(), getLanguage());
    list.replaceChildren(
      ...groups.map(({ heading, entries: day }) =>
        h(
          'section',
          { class: 'journal-day' },
          h('h2', { class: 'section-title day-title' }, heading.kind === 'date' ? heading.label : t(`journal.${heading.kind}`)),
          h('ul', { class: 'contact-list' }, day.map(row)),
        ),
      ),
    );
    moreButton.hidden = !more || !entries;
    empty.hidden = visible.length > 0;
    if (visible.length > 0) return;
    if (failure) replace(empty, icon('info', { size: 40, class: 'empty-icon' }), h('p', null, errorText(failure)), h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => load(false) }, t('common.retry')));
    else if (!entries) replace(empty, h('p', null, t('common.loading')));
    else replace(empty, icon('journal', { size: 40, class: 'empty-icon' }), h('p', null, t(filter === 'all' ? 'journal.none' : 'journal.noneFiltered')));
  };

  const markSeen = () => {
    if (document.visibilityState === 'visible') controller.records.markJournalSeen().catch(() => {});
  };

  container.replaceChildren(
    h(
      'section',
      { class: 'page', 'data-testid': 'journal' },
      h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, t('nav.journal.title'))),
      h('div', { class: 'chips filter-chips', role: 'group', 'aria-label': t('journal.filters') }, chips),
      list,
      empty,
      moreButton,
    ),
  );

  disposer.listen(controller, 'journal', (/** @type {CustomEvent} */ event) => {
    const { entry, id, deleted, gap } = event.detail ?? {};
    if (gap) load(false);
    else if (deleted && entries) {
      entries = entries.filter((e) => e.id !== id);
      render();
    } else if (entry && entries) {
      entries = mergeEntries(entries, [entry]);
      render();
    }
  });
  disposer.listen(controller, 'journal-missed', () => {
    if (controller.records.missedUnseen > 0) markSeen();
  });
  disposer.listen(controller, 'settings', render);
  render();
  load(false);
  markSeen();
  return () => disposer.dispose();
}
