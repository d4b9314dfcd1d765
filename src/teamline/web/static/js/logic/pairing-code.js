// @ts-check
/** Reading a pairing code out of what the user scanned or pasted (PAIR-3). */

const CODE = /^[A-Za-z0-9_-]{4,200}$/;

/**
 * Extracts the code from a pairing link (`<public>/pair#<code>`), a bare `#<code>`
 * fragment or the code itself. Returns null when nothing looks like a code.
 * @param {string | null | undefined} input
 * @returns {string | null}
 */
export function extractPairingCode(input) {
  const text = (input ?? '').trim();
  if (!text) return null;
  const hash = text.indexOf('#');
  let candidate = hash >= 0 ? text.slice(hash + 1) : text;
  if (hash < 0 && /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return null; // a link without a code
  try {
    candidate = decodeURIComponent(candidate);
  } catch {
    return null;
  }
  candidate = candidate.trim();
  return CODE.test(candidate) ? candidate : null;
}
