import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailLogEntry, MailLog, StageEntry } from '@shared/domain/application-record';
import type { Email } from '@shared/domain/email';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import {
  applicationEmailIndex,
  applicationMailPartition,
  emailEventIndex,
  emailEventKey,
  emailKey,
  GSI1,
} from '@shared/adapters/dynamodb/keys';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import { table } from '@shared/adapters/dynamodb/table-name';

/** An email about an application: which one, and the email's key there (ids.ts emailKeys). */
export interface EmailAbout {
  applicationId: string;
  emailKey: string;
}

/**
 * The once-only marker of an email: claimed (SENDING) before it goes to SES, SENT after. A claim
 * older than `staleBefore` was left by a process that died mid-send and may be taken over. The
 * marker of an email about an application is also its entry in the application's email log (keys.ts).
 */
export async function claimEmail(
  dedupeKey: string,
  email: Email,
  at: string,
  claimedAt: number,
  staleBefore: number,
  about?: EmailAbout,
): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...emailKey(dedupeKey),
          ...(about
            ? {
                ...applicationEmailIndex(about.applicationId, at, about.emailKey),
                applicationId: about.applicationId,
                emailKey: about.emailKey,
              }
            : {}),
          to: email.to,
          cc: email.cc,
          template: email.template,
          subject: email.subject,
          at,
          state: 'SENDING',
          claimedAt,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND #claimedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state', '#claimedAt': 'claimedAt' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':stale': staleBefore },
      }),
    ),
  );
}

export async function emailState(
  dedupeKey: string,
): Promise<{ state: 'SENDING' | 'SENT'; messageId?: string } | undefined> {
  const marker = await dynamo().send(
    new GetCommand({ TableName: table(), Key: emailKey(dedupeKey), ConsistentRead: true }),
  );
  if (!marker.Item) return undefined;
  return {
    state: marker.Item.state as 'SENDING' | 'SENT',
    messageId: (marker.Item.messageId as string | null) ?? undefined,
  };
}

/** Gives up a claim this caller holds (SES refused the send), so a retry can send. */
export async function releaseEmailClaim(dedupeKey: string, claimedAt: number): Promise<void> {
  await conditionalWrite(() =>
    dynamo().send(
      new DeleteCommand({
        TableName: table(),
        Key: emailKey(dedupeKey),
        ConditionExpression: 'claimedAt = :mine',
        ExpressionAttributeValues: { ':mine': claimedAt },
      }),
    ),
  );
}

export async function markEmailSent(dedupeKey: string, messageId: string | undefined): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: emailKey(dedupeKey),
      UpdateExpression: 'SET #state = :sent, messageId = :id',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':sent': 'SENT', ':id': messageId ?? null },
    }),
  );
}

/**
 * Records a bounce or complaint SES reported about an email of an application, once per notice
 * (`eventId`): false when it was recorded before (SNS delivers at least once).
 */
export async function putEmailEvent(applicationId: string, eventId: string, entry: StageEntry): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...emailEventKey(eventId), ...emailEventIndex(applicationId, entry.at, eventId), applicationId, entry },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/**
 * An application's email log and the bounces and complaints of its emails, each oldest first: one
 * Query of its log partition (GSI1, in time order), however many reminders it was sent. Only emails
 * SES accepted: a claim still being sent is not one yet.
 */
export async function applicationMailLog(applicationId: string): Promise<MailLog> {
  const log: MailLog = { emails: [], events: [] };
  for await (const page of queryPages({
    TableName: table(),
    IndexName: GSI1,
    KeyConditionExpression: 'GSI1PK = :log',
    ExpressionAttributeValues: { ':log': applicationMailPartition(applicationId) },
  })) {
    for (const item of page.Items ?? []) {
      if (item.entry) log.events.push(item.entry as StageEntry);
      else if (item.state === 'SENT') log.emails.push(emailLogEntry(item));
    }
  }
  return log;
}

function emailLogEntry(item: Record<string, unknown>): EmailLogEntry {
  const cc = item.cc as string[] | undefined;
  return {
    to: item.to as string,
    ...(cc?.length ? { cc } : {}),
    template: item.template as string,
    subject: item.subject as string,
    ...(item.messageId ? { messageId: item.messageId as string } : {}),
    at: item.at as string,
  };
}
