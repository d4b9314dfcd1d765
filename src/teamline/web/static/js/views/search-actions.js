// @ts-check
/**
 * The actions a result, a journal entry or a phonebook number offers (CALL-2): call and chat.
 * Telephony and chat are not there yet: both say so in a toast (the number is named).
 */
import { t } from '../i18n.js';
import { toast } from '../components/toast.js';

/** @param {string | null | undefined} number */
export function callNumber(number) {
  toast(number ? t('call.soon', { number }) : t('call.soonNoNumber'), { testid: 'call-toast' });
}

export function openChat() {
  toast(t('chat.soon'), { testid: 'chat-toast' });
}
