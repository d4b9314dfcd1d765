// @ts-check
/**
 * The actions a result, a journal entry or a phonebook number offers (CALL-2): call and chat.
 * Telephony is not there yet: calling says so in a toast (the number is named).
 */
import { t } from '../i18n.js';
import { toast } from '../components/toast.js';
import { errorText } from './error-text.js';
import { openChatScreen } from './routes.js';

/** @param {string | null | undefined} number */
export function callNumber(number) {
  toast(number ? t('call.soon', { number }) : t('call.soonNoNumber'), { testid: 'call-toast' });
}

/**
 * Opens the conversation of a result: its own (a chat hit) or the 1:1 with a colleague.
 * @param {import('../controller.js').Controller} controller
 * @param {{source: string, id: string, conversation_id?: string | null, message_id?: string | null}} result
 */
export async function openChat(controller, result) {
  try {
    const id = result.conversation_id ?? (result.source === 'contact' ? await controller.chat.openDirect(result.id) : null);
    if (id) openChatScreen(id, result.message_id ?? null);
    else toast(t('chat.soon'), { testid: 'chat-toast' });
  } catch (error) {
    toast(errorText(error), { kind: 'error' });
  }
}
