import { SendEmailCommand } from '@aws-sdk/client-ses';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, ses } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';
import { emailKey } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

let sender: string | undefined;

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
 * deadline notice.
 */
export async function sendEmailOnce(dedupeKey: string, email: Email, at: string): Promise<boolean> {
  sender ??= readEnv(['SENDER_EMAIL']).SENDER_EMAIL;
  const giveUpAt = Date.now() + IN_FLIGHT_WAIT_MS;
  let claimedAt: number | undefined;
  while (claimedAt === undefined) {
    const attemptAt = Date.now();
    try {
      await dynamo().send(
        new PutCommand({
          TableName: table(),
          Item: { ...emailKey(dedupeKey), to: email.to, subject: email.subject, at, state: 'SENDING', claimedAt: attemptAt },
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND #claimedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: { ':sending': 'SENDING', ':stale': attemptAt - STALE_CLAIM_MS },
        }),
      );
      claimedAt = attemptAt;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const marker = await dynamo().send(new GetCommand({ TableName: table(), Key: emailKey(dedupeKey), ConsistentRead: true }));
      if (marker.Item?.state === 'SENT') return false;
      if (Date.now() > giveUpAt) throw new EmailInFlight(dedupeKey);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
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
