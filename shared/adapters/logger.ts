import { Logger } from '@aws-lambda-powertools/logger';

/** An email address inside any text (a local part, @, a domain ending in a name of letters). */
const EMAIL_ADDRESS = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * No person's email address in a log line. The use cases log none, but a value can carry one in
 * from outside: an SES error's message names the addresses it refused, and an error is logged whole.
 * Logs go to whoever operates the account and are kept apart from the records staff correct an
 * address from, so every string of every line is masked as it is written (the message, attributes,
 * an error's message and stack).
 */
const withoutEmailAddresses = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? maskEmailAddresses(value) : value;

/** The text with every email address in it replaced by `[email]`. */
export const maskEmailAddresses = (text: string): string => text.replace(EMAIL_ADDRESS, '[email]');

export const logger = new Logger({ serviceName: 'funding-call', jsonReplacerFn: withoutEmailAddresses });
