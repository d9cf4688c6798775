import { SendEmailCommand } from '@aws-sdk/client-ses';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, ses } from '@shared/aws/clients';
import { readEnv } from '@shared/env';
import { emailKey } from '@shared/store/keys';
import { table } from '@shared/store/table';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

let sender: string | undefined;

/** A claim older than this whose send never finished (the Lambda died mid-way) may be taken again. */
const STALE_CLAIM_MS = 5 * 60 * 1000;

/**
 * Sends an email once per `dedupeKey`, however often a retried Lambda or a re-driven workflow asks.
 * The send is claimed with a conditional write first and marked SENT after SES accepts it; if SES
 * fails the claim is released so the retry can send, and a claim left by a process that died
 * mid-send is taken over once stale. Returns false when the email had already gone (or is going).
 * If SES accepted a message but its answer was lost, a retry sends it again: at least once beats
 * never for a deadline notice.
 */
export async function sendEmailOnce(dedupeKey: string, email: Email, at: string): Promise<boolean> {
  sender ??= readEnv(['SENDER_EMAIL']).SENDER_EMAIL;
  const claimedAt = Date.now();
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...emailKey(dedupeKey), to: email.to, subject: email.subject, at, state: 'SENDING', claimedAt },
        ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND #claimedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state', '#claimedAt': 'claimedAt' },
        ExpressionAttributeValues: { ':sending': 'SENDING', ':stale': claimedAt - STALE_CLAIM_MS },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
  let messageId: string | undefined;
  try {
    const sent = await ses().send(
      new SendEmailCommand({
        Source: sender,
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      }),
    );
    messageId = sent.MessageId;
  } catch (error) {
    await dynamo()
      .send(new DeleteCommand({ TableName: table(), Key: emailKey(dedupeKey), ConditionExpression: 'claimedAt = :mine', ExpressionAttributeValues: { ':mine': claimedAt } }))
      .catch(() => undefined); // the claim goes stale by itself; the SES error is the one to report
    throw error;
  }
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: emailKey(dedupeKey),
      UpdateExpression: 'SET #state = :sent, messageId = :id',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':sent': 'SENT', ':id': messageId ?? null },
    }),
  );
  return true;
}
