import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { Email } from '@shared/domain/email';
import { ses } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';

let sender: string | undefined;

/** Sends one email through SES from the association's address; returns SES's message id. */
export async function sendThroughSes(email: Email): Promise<string | undefined> {
  sender ??= readEnv(['SENDER_EMAIL']).SENDER_EMAIL;
  const sent = await ses().send(
    new SendEmailCommand({
      Source: sender,
      Destination: { ToAddresses: [email.to], ...(email.cc?.length ? { CcAddresses: email.cc } : {}) },
      Message: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
      },
    }),
  );
  return sent.MessageId;
}
