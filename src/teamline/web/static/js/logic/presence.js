// @ts-check
/**
 * Presence display rules (CONT-2, CONT-3): what colour and label a state gets and how
 * states rank when the contact list is sorted by status.
 */

/** @typedef {'available' | 'away' | 'dnd' | 'offline'} Effective */
/** @typedef {'available' | 'away' | 'dnd'} ManualState */
/** @typedef {'free' | 'ringing' | 'in-call' | 'on-hold'} PhoneState */
/**
 * @typedef {{state: ManualState, text: string | null, auto_away: boolean, online: boolean,
 *   phone: PhoneState, effective: Effective}} Presence
 */

/** The states a user can choose, in the order the picker shows them. */
export const MANUAL_STATES = /** @type {const} */ (['available', 'away', 'dnd']);

const RANK = { available: 0, away: 1, dnd: 2, offline: 3 };

/**
 * Normalises an unknown value to a displayable effective state.
 * @param {Partial<Presence> | null | undefined} presence
 * @returns {Effective}
 */
export function effectiveOf(presence) {
  const value = presence?.effective;
  return value === 'available' || value === 'away' || value === 'dnd' ? value : 'offline';
}

/**
 * CSS custom property that holds the colour of a state.
 * @param {Effective} effective
 * @returns {string}
 */
export function presenceColorVar(effective) {
  return `var(--presence-${effective in RANK ? effective : 'offline'})`;
}

/**
 * i18n key of the label of an effective state; an automatic away reads "away (idle)".
 * @param {Partial<Presence> | null | undefined} presence
 * @returns {string}
 */
export function presenceLabelKey(presence) {
  const effective = effectiveOf(presence);
  if (effective === 'away' && presence?.auto_away && presence.state !== 'away') {
    return 'presence.idle';
  }
  return `presence.${effective}`;
}

/**
 * i18n key describing the phone state, or null while the phone is free.
 * @param {Partial<Presence> | null | undefined} presence
 * @returns {string | null}
 */
export function phoneLabelKey(presence) {
  const phone = presence?.phone;
  if (phone === 'ringing' || phone === 'in-call' || phone === 'on-hold') return `phone.${phone}`;
  return null;
}

/**
 * Sort rank: available first, offline last.
 * @param {Partial<Presence> | null | undefined} presence
 * @returns {number}
 */
export function presenceRank(presence) {
  return RANK[effectiveOf(presence)];
}
