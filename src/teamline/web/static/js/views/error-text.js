// @ts-check
/** Words an ApiError for a person in the current language. */
import { t } from '../i18n.js';
import { errorKey } from '../logic/api-error.js';

/**
 * @param {unknown} error
 * @returns {string}
 */
export function errorText(error) {
  const err = /** @type {{code?: string, message?: string, retryAfter?: number | null}} */ (error ?? {});
  const key = errorKey(err);
  if (key) return t(key, { seconds: err.retryAfter ?? 60 });
  return err.message || t('error.unknown');
}
