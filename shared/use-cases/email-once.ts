import type { Email } from '@shared/domain/email';
import type { EmailTags } from '@shared/domain/email-events';
import { claimEmail, emailState, markEmailSent, releaseEmailClaim } from '@shared/adapters/dynamodb/email-items';
import { sendThroughSes } from '@shared/adapters/email-sender';
import { countMetric } from '@shared/adapters/metrics';

export type { Email } from '@shared/domain/email';

/**
 * A claim older than this whose send never finished was left by a Lambda that died mid-send (they
 * stop at 29 s), and may be taken over.
 */
const STALE_CLAIM_MS = 60 * 1000;
/** How long a second caller waits for a send in flight to finish before reporting it as such. */
const IN_FLIGHT_WAIT_MS = 15 * 1000;

/** The email is claimed by another attempt that has not finished; retry later (the workflow does). */
export class EmailInFlight extends Error {
  constructor(dedupeKey: string) {
    super(`Email ${dedupeKey} is being sent by another attempt`);
    this.name = 'EmailInFlight';
  }
}

/**
 * Sends an email once per `dedupeKey`, however often a retried Lambda or a re-driven workflow asks.
 * The send is claimed with a conditional write first and marked SENT after SES accepts it; if SES
 * fails the claim is released so a retry can send, and a claim left by a process that died mid-send
 * is taken over once stale. Returns false when the email has gone already; a caller that finds the
 * send still in flight waits for it, and throws EmailInFlight if it does not finish. If SES accepted
 * a message but its answer was lost, a retry sends it again: at least once beats never for a
 * deadline notice. An email not about one application is tagged with its dedupe key only.
 */
export async function sendEmailOnce(dedupeKey: string, email: Email, at: string): Promise<boolean> {
  return (await sendEmailOnceReporting(dedupeKey, email, at, { emailKey: dedupeKey })).sent;
}

/**
 * sendEmailOnce, also telling SES's message id (of this send, or of the earlier one). `tags` say
 * what the email is about; SES hands them back with its bounce or complaint (shared/use-cases/email-events.ts).
 * An email about an application is logged for it by the same conditional write that makes it once.
 */
export async function sendEmailOnceReporting(
  dedupeKey: string,
  email: Email,
  at: string,
  tags: EmailTags,
): Promise<{ sent: boolean; messageId?: string }> {
  const giveUpAt = Date.now() + IN_FLIGHT_WAIT_MS;
  // The marker of an email about an application is its entry in the application's email log.
  const about = tags.applicationId ? { applicationId: tags.applicationId, emailKey: tags.emailKey } : undefined;
  let claimedAt: number | undefined;
  while (claimedAt === undefined) {
    const attemptAt = Date.now();
    if (await claimEmail(dedupeKey, email, at, attemptAt, attemptAt - STALE_CLAIM_MS, about)) {
      claimedAt = attemptAt;
      break;
    }
    const marker = await emailState(dedupeKey);
    if (marker?.state === 'SENT') return { sent: false, messageId: marker.messageId };
    if (Date.now() > giveUpAt) throw new EmailInFlight(dedupeKey);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  let messageId: string | undefined;
  try {
    messageId = await sendThroughSes(email, tags);
  } catch (error) {
    // The claim goes stale by itself if this fails too; the SES error is the one to report.
    await releaseEmailClaim(dedupeKey, claimedAt).catch(() => undefined);
    throw error;
  }
  await markEmailSent(dedupeKey, messageId);
  countMetric('EmailsSent');
  return { sent: true, messageId };
}
