import { now, toBeijingIso } from '@shared/domain/clock';
import { EMAIL_EVENT_RESULTS, parseEmailEvent, type EmailEvent } from '@shared/domain/email-events';
import { emailEventId } from '@shared/domain/ids';
import { applicationExists } from '@shared/adapters/dynamodb/application-items';
import { putEmailEvent } from '@shared/adapters/dynamodb/email-items';
import { logger } from '@shared/adapters/logger';
import { countMetric } from '@shared/adapters/metrics';

export type EmailEventOutcome =
  /** a bounce or complaint recorded for the application's history (an item of its own: email-items.ts) */
  | 'recorded'
  /** the same notice again (SNS delivers at least once): recorded before */
  | 'recorded-before'
  /** a bounce or complaint of an email about no application, or about one that no longer exists: logged and counted */
  | 'logged'
  /** a delivery: counted */
  | 'delivered'
  /** an event the product does not act on */
  | 'ignored';

const METRIC = { Bounce: 'EmailsBounced', Complaint: 'EmailsComplained' } as const;

/**
 * Records what SES reported about one message (an SNS message of the email events topic). A bounce
 * or complaint is shown in the history of the application the email was about, in the stage that
 * sent it, once per notice however often SNS delivers it, and counted (EmailsBounced,
 * EmailsComplained: the dashboard and the bounce and complaint alarms). The application's workflow
 * is not touched: the email was accepted, its step is done, and staff read the bounce in the
 * history (with the address, to correct the unit's registered email). A message that is not an SES
 * event is thrown (MalformedEmailEvent): the function's error alarm shows it.
 */
export async function recordEmailEvent(message: string): Promise<EmailEventOutcome> {
  const event = parseEmailEvent(message);
  if (!event) return 'ignored';
  if (event.kind === 'Delivery') {
    countMetric('EmailsDelivered');
    return 'delivered';
  }
  const { applicationId, emailKey, stage } = event.tags;
  const detail = describe(event);
  if (!applicationId) {
    // An email about no application (an expert's digest, the award confirmation, a blocked round):
    // nowhere to record it but the log; counted all the same.
    countMetric(METRIC[event.kind]);
    logger.warn(`email ${event.kind.toLowerCase()} of an email about no application`, {
      ...loggable(event),
      email: emailKey,
    });
    return 'logged';
  }
  // The unit reads its application's history: an expert's address must never appear there (units
  // never learn who reviews them), so an expert email's event is recorded without its recipient.
  const entryDetail =
    stage === 'ExpertReview' ? { type: detail.type, messageId: detail.messageId, recipient: 'expert' } : detail;
  if (!(await applicationExists(applicationId))) {
    countMetric(METRIC[event.kind]);
    logger.warn(`email ${event.kind.toLowerCase()} of application ${applicationId}, which does not exist`, {
      applicationId,
      ...loggable(event),
      email: emailKey,
    });
    return 'logged';
  }
  const entry = {
    stage: stage ?? 'Workflow',
    result: EMAIL_EVENT_RESULTS[event.kind],
    at: toBeijingIso(atOf(event)),
    detail: { ...entryDetail, email: emailKey },
  };
  if (!(await putEmailEvent(applicationId, emailEventId(event.kind, event.messageId, event.feedbackId), entry)))
    return 'recorded-before';
  countMetric(METRIC[event.kind]);
  logger.warn(`email ${event.kind.toLowerCase()} recorded on application ${applicationId}`, {
    applicationId,
    ...loggable(event),
    email: emailKey,
  });
  return 'recorded';
}

/** What the history entry says: to whom, what kind, and SES's message id (to find it in SES). */
function describe(event: EmailEvent) {
  return { to: event.recipients.join(', '), ...(event.type ? { type: event.type } : {}), messageId: event.messageId };
}

/**
 * What a log line says of an event: how many recipients, never their addresses (a person's address
 * has no place in the logs; staff find it in the history, SES by the message id).
 */
function loggable(event: EmailEvent) {
  return {
    recipients: event.recipients.length,
    ...(event.type ? { type: event.type } : {}),
    messageId: event.messageId,
  };
}

/** When SES says it happened; now if it did not say. */
function atOf(event: EmailEvent): Date {
  const at = new Date(event.timestamp);
  return Number.isNaN(at.getTime()) ? now() : at;
}
