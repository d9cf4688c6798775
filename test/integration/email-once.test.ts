import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import sesServer from 'aws-ses-v2-local';
import { sendEmailOnce, type Email } from '@shared/use-cases/email-once';
import { emailKey } from '@shared/adapters/dynamodb/keys';
import { freePort } from '@infra/local/net';
import { sentEmails, type StoredEmail } from '../support/local';
import { useLocalTable } from '../support/local-table';

/**
 * sendEmailOnce against the real things: DynamoDB Local decides the conditional marker, and
 * aws-ses-v2-local records what was actually sent. Only the SES fault is injected.
 */
let ses: Server;
let emailUrl: string;

// Declared before the table's beforeAll, which reads emailUrl for the product's environment.
beforeAll(async () => {
  const sesPort = await freePort();
  ses = await sesServer({ host: '127.0.0.1', port: sesPort });
  emailUrl = `http://127.0.0.1:${sesPort}`;
});

const table = useLocalTable({
  env: () => ({
    SENDER_EMAIL: 'noreply@gdast.test',
    SES_CONFIGURATION_SET: 'funding-call-test',
    AWS_ENDPOINT_URL_SES: emailUrl,
  }),
});

afterAll(async () => {
  if (ses) await new Promise((resolve) => ses.close(resolve));
});

/** Each test gets its own subject, so the shared SES store can be read per test. */
const emailFor = (tag: string): Email => ({
  to: 'secretary@physics.example.org',
  subject: `[${tag}] 申报回执 / Receipt`,
  text: `test ${tag}`,
  template: 'receipt',
});

const sentWithSubject = async (subject: string): Promise<StoredEmail[]> =>
  (await sentEmails(emailUrl)).filter((email) => email.subject === subject);

const markerExists = async (dedupeKey: string): Promise<boolean> => {
  const key = emailKey(dedupeKey);
  const item = await table.client.send(
    new GetItemCommand({ TableName: table.name, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: true }),
  );
  return item.Item !== undefined;
};

const at = '2023-09-01T09:00:00.000+08:00';

test('20 concurrent sends with the same key: one email, and exactly one caller is told it sent', async () => {
  const tag = randomUUID();
  const email = emailFor(tag);
  const results = await Promise.all(Array.from({ length: 20 }, () => sendEmailOnce(`${tag}#receipt`, email, at)));
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(results.filter((sent) => !sent)).toHaveLength(19);

  const sent = await sentWithSubject(email.subject);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ from: 'noreply@gdast.test', destination: { to: [email.to] } });
  expect(sent[0].body.text).toBe(email.text);
  expect(await markerExists(`${tag}#receipt`)).toBe(true);

  // Later asks (a retried Lambda, a re-driven execution) send nothing more.
  expect(await sendEmailOnce(`${tag}#receipt`, email, at)).toBe(false);
  expect(await sentWithSubject(email.subject)).toHaveLength(1);
});

test('different keys each send their own email, once, however they interleave', async () => {
  const tag = randomUUID();
  const email = emailFor(tag);
  const keys = Array.from({ length: 5 }, (_, i) => `${tag}#stage-${i}`);
  // every key asked 4 times, all at once
  const results = await Promise.all(
    keys.flatMap((key) =>
      Array.from({ length: 4 }, () => sendEmailOnce(key, email, at).then((sent) => ({ key, sent }))),
    ),
  );
  for (const key of keys) {
    expect(results.filter((result) => result.key === key && result.sent)).toHaveLength(1);
    expect(await markerExists(key)).toBe(true);
  }
  expect(await sentWithSubject(email.subject)).toHaveLength(keys.length);
});

describe('when SES fails', () => {
  let sesMock: AwsClientStub<SESClient> | undefined;
  afterEach(() => {
    sesMock?.restore();
    sesMock = undefined;
  });

  test('the send throws, the marker is released, and a retry sends exactly one email', async () => {
    const tag = randomUUID();
    const email = emailFor(tag);
    const key = `${tag}#receipt`;
    sesMock = mockClient(SESClient);
    sesMock
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));

    await expect(sendEmailOnce(key, email, at)).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sesMock.commandCalls(SendEmailCommand)[0].args[0].input).toMatchObject({
      Source: 'noreply@gdast.test',
      Destination: { ToAddresses: [email.to] },
      Message: { Subject: { Data: email.subject } },
    });
    expect(await markerExists(key)).toBe(false);
    expect(await sentWithSubject(email.subject)).toHaveLength(0);

    sesMock.restore();
    sesMock = undefined;
    expect(await sendEmailOnce(key, email, at)).toBe(true);
    expect(await sentWithSubject(email.subject)).toHaveLength(1);
    expect(await markerExists(key)).toBe(true);
    // and once it has gone, it never goes again
    expect(await sendEmailOnce(key, email, at)).toBe(false);
    expect(await sentWithSubject(email.subject)).toHaveLength(1);
  });

  test('a throttled SES is released the same way, so concurrent retries after it still send once', async () => {
    const tag = randomUUID();
    const email = emailFor(tag);
    const key = `${tag}#formal-check-passed`;
    sesMock = mockClient(SESClient);
    sesMock
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'ThrottlingException' }));

    await expect(sendEmailOnce(key, email, at)).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(sendEmailOnce(key, email, at)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(2);
    expect(await markerExists(key)).toBe(false);

    sesMock.restore();
    sesMock = undefined;
    const results = await Promise.all(Array.from({ length: 10 }, () => sendEmailOnce(key, email, at)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await sentWithSubject(email.subject)).toHaveLength(1);
  });
});
