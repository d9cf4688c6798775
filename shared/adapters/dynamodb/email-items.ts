import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Email } from '@shared/domain/email';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import { emailKey } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';

/**
 * The once-only marker of an email: claimed (SENDING) before it goes to SES, SENT after. A claim
 * older than `staleBefore` was left by a process that died mid-send and may be taken over.
 */
export async function claimEmail(dedupeKey: string, email: Email, at: string, claimedAt: number, staleBefore: number): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...emailKey(dedupeKey), to: email.to, cc: email.cc, template: email.template, subject: email.subject, at, state: 'SENDING', claimedAt },
        ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND #claimedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state', '#claimedAt': 'claimedAt' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':stale': staleBefore },
      }),
    ),
  );
}

export async function emailState(dedupeKey: string): Promise<{ state: 'SENDING' | 'SENT'; messageId?: string } | undefined> {
  const marker = await dynamo().send(new GetCommand({ TableName: table(), Key: emailKey(dedupeKey), ConsistentRead: true }));
  if (!marker.Item) return undefined;
  return { state: marker.Item.state as 'SENDING' | 'SENT', messageId: (marker.Item.messageId as string | null) ?? undefined };
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
