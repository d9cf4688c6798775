import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { Email } from '@shared/domain/email';
import { messageTags, type EmailTags } from '@shared/domain/email-events';
import { ses } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';
import { awaitSendSlot, isSendThrottled, slowDownSending } from '@shared/adapters/send-rate';

let settings: { sender: string; configurationSet: string } | undefined;

/**
 * Sends one email through SES from the association's address; returns SES's message id. Every send
 * names the stack's configuration set, whose bounces and complaints come back to record-email-event,
 * and carries tags saying what it was about (which application, which email), which SES copies
 * into those events. Whatever SES refuses is thrown, as SES named it: the caller decides. A send
 * waits for its slot in the caller's pace (shared/adapters/send-rate.ts), which a throttle slows.
 */
export async function sendThroughSes(email: Email, tags: EmailTags): Promise<string | undefined> {
  if (!settings) {
    const env = readEnv(['SENDER_EMAIL', 'SES_CONFIGURATION_SET']);
    settings = { sender: env.SENDER_EMAIL, configurationSet: env.SES_CONFIGURATION_SET };
  }
  await awaitSendSlot();
  const sent = await ses()
    .send(
      new SendEmailCommand({
        Source: settings.sender,
        Destination: { ToAddresses: [email.to], ...(email.cc?.length ? { CcAddresses: email.cc } : {}) },
        Message: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
        ConfigurationSetName: settings.configurationSet,
        Tags: messageTags(tags),
      }),
    )
    .catch((error: unknown) => {
      if (isSendThrottled(error)) slowDownSending();
      throw error;
    });
  return sent.MessageId;
}
