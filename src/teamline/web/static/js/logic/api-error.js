// @ts-check
/** The error the REST client throws, and how to phrase it for a person. */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {string} code stable kebab-case code from the server, or "network-error"
   * @param {string} message the server's message for a person
   * @param {Record<string, unknown>} [details]
   * @param {number | null} [retryAfter] seconds, from the Retry-After header
   */
  constructor(status, code, message, details = {}, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

/** Codes the client words itself (in the user's language); the rest show the server text. */
const KNOWN = new Set([
  'invalid-credentials', 'too-many-attempts', 'account-disabled', 'network-error',
  'pairing-code-expired', 'pairing-code-used', 'pairing-code-unknown', 'password-required',
  'password-managed-externally', 'file-too-large', 'invalid-image', 'forbidden', 'unauthenticated',
]);

/**
 * The i18n key for an error, or null when the server's own message should be shown.
 * @param {{code?: string} | null | undefined} error
 * @returns {string | null}
 */
export function errorKey(error) {
  return error?.code && KNOWN.has(error.code) ? `error.${error.code}` : null;
}

/**
 * Parses a Retry-After header (seconds or HTTP date) into whole seconds.
 * @param {string | null} header
 * @param {number} now epoch milliseconds
 * @returns {number | null}
 */
export function parseRetryAfter(header, now) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
