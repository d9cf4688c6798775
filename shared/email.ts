import { SendEmailCommand } from '@aws-sdk/client-ses';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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

/**
 * Sends an email at most once per `dedupeKey`, however often a retried Lambda or a re-driven
 * workflow asks. The marker is claimed with a conditional write before sending; if SES fails the
 * marker is released so the retry can send. Returns false when the email had already gone.
 */
export async function sendEmailOnce(dedupeKey: string, email: Email, at: string): Promise<boolean> {
  sender ??= readEnv(['SENDER_EMAIL']).SENDER_EMAIL;
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...emailKey(dedupeKey), to: email.to, subject: email.subject, sentAt: at },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
  try {
    await ses().send(
      new SendEmailCommand({
        Source: sender,
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      }),
    );
    return true;
  } catch (error) {
    await dynamo().send(new DeleteCommand({ TableName: table(), Key: emailKey(dedupeKey) }));
    throw error;
  }
}
