// @ts-check
/**
 * Word-part matching (SRCH-2, CONT-6): a query is split into fragments and every
 * fragment must be the start of some word of the text. Matching ignores case and
 * accents; hyphens and other punctuation split words, so "And Muster" finds
 * "Max-Andreas Mustermann".
 */

/** Letters that Unicode decomposition does not reduce to plain Latin ones. */
const FOLDS = /** @type {Record<string, string>} */ ({
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i',
});

/**
 * Lower-cases, strips diacritics and folds special letters.
 * @param {string} text
 * @returns {string}
 */
export function fold(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæœøđðþłı]/g, (ch) => FOLDS[ch] ?? ch);
}

/**
 * Splits text into folded words; anything that is neither a letter nor a digit separates words.
 * @param {string} text
 * @returns {string[]}
 */
export function words(text) {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * Builds a predicate for a query; an empty query matches everything.
 * @param {string} query
 * @returns {(...texts: Array<string | null | undefined>) => boolean}
 */
export function matcher(query) {
  const fragments = words(query);
  return (...texts) => {
    if (fragments.length === 0) return true;
    const haystack = texts.flatMap((text) => (text ? words(text) : []));
    return fragments.every((fragment) => haystack.some((word) => word.startsWith(fragment)));
  };
}

/**
 * True when every fragment of `query` starts some word of one of the texts.
 * @param {string} query
 * @param {...(string | null | undefined)} texts
 * @returns {boolean}
 */
export function matches(query, ...texts) {
  return matcher(query)(...texts);
}
