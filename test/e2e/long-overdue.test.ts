import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { encodeTagValue } from '@shared/domain/email-events';
import { emailKeys } from '@shared/domain/ids';
import { invokeLocal } from '@infra/local/lambdas';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import type { StoredEmail } from '../support/local';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * A staff task left undone for three months: the sweep reminds its assignee every day (the
 * department head copied), every reminder bounces, and the application item must not grow with
 * any of it (DynamoDB refuses an item over 400 KB, and then every step of the application fails).
 * When staff finally answer, the application goes on as if nothing had happened.
 */
const stack = useLocalStack();
const { api } = stack;

const CONTACT = 'dengmei@gdast.example.org'; // the Lingnan forum's staff contact in the call data
const DAY_MS = 24 * 60 * 60 * 1000;
const DAYS = 90;

const about = (applicationId: string, subjectPart: string) => (email: StoredEmail) =>
  email.destination.to.includes(CONTACT) &&
  email.subject.includes(subjectPart) &&
  (email.body.text ?? '').includes(applicationId);

/** The application item as DynamoDB stores it, and its size as JSON (above what DynamoDB counts). */
async function applicationItem(applicationId: string): Promise<{ item: Record<string, unknown>; bytes: number }> {
  const read = await stack.dynamo.send(
    new GetItemCommand({
      TableName: 'funding-call',
      Key: { PK: { S: `APP#${applicationId}` }, SK: { S: 'APP' } },
      ConsistentRead: true,
    }),
  );
  const item = unmarshall(read.Item!);
  return {
    item,
    bytes: Buffer.byteLength(
      JSON.stringify(item, (_key, value: unknown) => (value instanceof Set ? [...value] : value)),
      'utf8',
    ),
  };
}

/** SES's bounce notice of one message, as the configuration set publishes it through SNS. */
const bounceOf = (email: StoredEmail, tags: Record<string, string>, sentAt: number, day: number) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        Message: JSON.stringify({
          eventType: 'Bounce',
          mail: {
            messageId: email.messageId,
            timestamp: new Date(sentAt).toISOString(),
            destination: email.destination.to,
            tags: {
              'ses:configuration-set': ['funding-call-local'],
              ...Object.fromEntries(Object.entries(tags).map(([name, value]) => [name, [value]])),
            },
          },
          bounce: {
            bounceType: 'Transient',
            bounceSubType: 'MailboxFull',
            bouncedRecipients: [{ emailAddress: CONTACT }],
            timestamp: new Date(sentAt + 1000).toISOString(),
            feedbackId: `mailbox-full-d${day}`,
          },
        }),
      },
    },
  ],
});

test(`an overdue staff task reminded daily for ${DAYS} days, every reminder bouncing: the application item stays small and the application moves on`, async () => {
  const token = await api.unitToken('long-overdue-society');
  const submitted = await api.submit(token, example('lingnan-forum'));
  expect(submitted.status).toBe(201);
  const { applicationId } = submitted.body as { applicationId: string };
  await api.waitForStatus(token, applicationId, 'FORMAL_CHECK_PASSED');
  const review = taskLinkIn(await stack.email(about(applicationId, '形式审查'), 'the formal review task email'));
  const paper = taskLinkIn(await stack.email(about(applicationId, '纸质'), 'the paper copy task email'));
  // The paper copy arrived in time (or its deadline would reject the application meanwhile).
  expect((await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-01' } })).status).toBe(200);
  const task = (await followLink(review)).body as { taskId: string; dueAt: string; state: string };
  expect(task.state).toBe('OPEN');
  const before = await applicationItem(applicationId);

  const reminders = (emails: StoredEmail[]) =>
    emails.filter((email) => email.subject.includes('逾期') && (email.body.text ?? '').includes(applicationId));
  const started = Date.now();
  for (let day = 1; day <= DAYS; day++) {
    // A minute after the task's due time, a day later each time: the sweep (run by the clock) reminds.
    const at = Date.parse(task.dueAt) + day * DAY_MS + 60_000;
    await stack.setClock(new Date(at).toISOString(), true);
    const sent = reminders(await stack.emails());
    expect(sent).toHaveLength(day);
    const tags = {
      applicationId,
      emailKey: encodeTagValue(emailKeys.taskReminder(task.taskId, `overdue-d${day}`)),
      stage: 'StaffFormalReview',
    };
    expect(await invokeLocal('record-email-event', bounceOf(sent[day - 1], tags, at, day))).toEqual({
      outcomes: ['recorded'],
    });
  }
  const elapsed = Date.now() - started;

  // Staff see every reminder and every bounce; nothing of it is kept in the application item.
  const staffView = (await api.request('GET', `/applications/${applicationId}`, { token: await api.staffToken() }))
    .body;
  const overdueLogged = staffView.emails.filter(
    (email: { template: string }) => email.template === 'formal-review-task-overdue',
  );
  expect(overdueLogged).toHaveLength(DAYS);
  expect(overdueLogged.map((email: { at: string }) => email.at)).toEqual(
    [...overdueLogged.map((email: { at: string }) => email.at)].sort(),
  );
  const bounces = staffView.history.filter((entry: { result: string }) => entry.result === 'EMAIL_BOUNCED');
  expect(bounces).toHaveLength(DAYS);
  expect(bounces[0]).toMatchObject({
    stage: 'StaffFormalReview',
    detail: { to: CONTACT, type: 'Transient/MailboxFull' },
  });
  // The unit reads the same history (its staff task's bounces included, as before).
  const unitView = (await api.request('GET', `/applications/${applicationId}`, { token })).body;
  expect(unitView.history.filter((entry: { result: string }) => entry.result === 'EMAIL_BOUNCED')).toHaveLength(DAYS);
  expect(unitView.emails).toBeUndefined();

  const after = await applicationItem(applicationId);
  // Some bytes may change (the updated time); none accumulate per reminder or per bounce.
  expect(after.bytes - before.bytes).toBeLessThan(500);
  expect(after.bytes).toBeLessThan(10_000);
  expect(JSON.stringify(after.item)).not.toContain('overdue-d');

  // Staff finally answer, an hour later: the review is taken and the application moves on to its next stage.
  await stack.setClock(new Date(Date.parse(task.dueAt) + DAYS * DAY_MS + 60 * 60_000).toISOString(), true);
  expect((await followLink(review, { answer: { answer: 'pass' } })).status).toBe(200);
  await api.waitForStatus(token, applicationId, 'FORMAL_REVIEW_PASSED');
  await stack.email(about(applicationId, '绩效目标审核'), 'the target review task email');
  // Its history reads in time order: the bounces where they happened, the review's outcome after them.
  const history = (await api.request('GET', `/applications/${applicationId}`, { token })).body.history as {
    at: string;
    result: string;
  }[];
  expect(history.map((entry) => entry.at)).toEqual(history.map((entry) => entry.at).sort());
  expect(history.findIndex((entry) => entry.result === 'FORMAL_REVIEW_PASSED')).toBeGreaterThan(
    history.map((entry) => entry.result).lastIndexOf('EMAIL_BOUNCED'),
  );
  // The sweep ran ninety times in seconds, not minutes.
  expect(elapsed).toBeLessThan(60_000);
}, 180_000);
