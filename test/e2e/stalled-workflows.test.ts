import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually, type StoredEmail } from '../support/local';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * No application stalls: an application whose execution ends while it is not finished is resumed at
 * the stage its record says. Locally, as on AWS, the execution's end reaches resume-stalled as
 * Step Functions' Execution Status Change event; a restart of `npm start` resumes every application
 * whose execution was running when the process stopped.
 */
const stack = useLocalStack({ persistent: true }); // on disk and on fixed ports, for restart()
const { api } = stack;
const CONTACT = 'dengmei@gdast.example.org'; // the Lingnan forum's contact in the call data

let registered = 0;
/** A new member society, registered by staff, and its token. */
async function newMember(): Promise<{ unitId: string; email: string; token: string }> {
  const unitId = `stalled-unit-${++registered}`;
  const email = `office@${unitId}.example.org`;
  const answer = await api.request('PUT', `/units/${unitId}`, {
    token: await api.staffToken(),
    body: { name: { zh: `停滞测试学会${registered}`, en: `Stall Test Society ${registered}` }, email },
  });
  expect(answer.status).toBe(200);
  return { unitId, email, token: await api.unitToken(unitId) };
}

async function submitForum(token: string): Promise<string> {
  const submitted = await api.submit(token, example('lingnan-forum'));
  expect(submitted.status).toBe(201);
  return submitted.body.applicationId as string;
}

const read = async (applicationId: string) =>
  (await api.request('GET', `/applications/${applicationId}`, { token: await api.staffToken() })).body;

interface HistoryEntry {
  stage: string;
  result: string;
  detail?: Record<string, unknown>;
}
/** The application's RESUMED entries, once there are `count` of them. */
const resumptions = (applicationId: string, count = 1) =>
  eventually(
    async () => {
      const entries = ((await read(applicationId)).history as HistoryEntry[]).filter(
        (entry) => entry.stage === 'Workflow' && entry.result === 'RESUMED',
      );
      return entries.length >= count ? entries : undefined;
    },
    20_000,
    `${count} resumption(s) of ${applicationId}`,
  );

/** Every email about the application, oldest first. */
const emailsAbout = async (applicationId: string) =>
  (await stack.emails()).filter((email) => (email.body.text ?? '').includes(applicationId));
const isReceipt = (email: StoredEmail) => email.subject.includes('申报回执');
/** No email went out twice: each (recipient, subject) once. */
const sentTwice = (emails: StoredEmail[]) => {
  const seen = emails.map((email) => `${email.destination.to.join(',')} ${email.subject}`);
  return seen.filter((key, index) => seen.indexOf(key) !== index);
};
const staffLink = async (applicationId: string, task: '形式审查' | '纸质') =>
  taskLinkIn(
    await stack.email(
      (email) =>
        email.destination.to.includes(CONTACT) &&
        email.subject.includes(task) &&
        (email.body.text ?? '').includes(applicationId),
      `the ${task} task email`,
    ),
  );

/**
 * Holds the first SES send of the email `emailKey` to `to` (the step sending it waits, as a slow
 * Lambda would) until release(); any later send goes straight through.
 */
function holdEmail(to: string, emailKey: string): { reached: Promise<void>; release: () => void } {
  let reachedIt!: () => void;
  const reached = new Promise<void>((resolve) => (reachedIt = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let taken = false;
  stack.intercept(SESClient, async (command) => {
    if (taken || !(command instanceof SendEmailCommand)) return undefined;
    const { Destination, Tags } = command.input;
    if (
      !Destination?.ToAddresses?.includes(to) ||
      !Tags?.some((tag) => tag.Name === 'emailKey' && tag.Value === emailKey)
    )
      return undefined;
    taken = true;
    reachedIt();
    await gate;
    return undefined;
  });
  return { reached, release };
}

test('an execution stopped while it waits on staff: its end resumes the application, the same links work, no email is sent twice', async () => {
  const { token } = await newMember();
  const applicationId = await submitForum(token);
  await stack.waitingOnStaff(applicationId);
  const review = await staffLink(applicationId, '形式审查');
  const paper = await staffLink(applicationId, '纸质');
  const sentBefore = (await emailsAbout(applicationId)).map((email) => email.messageId);

  // Stopped in the console (here through the Step Functions API), as an administrator might.
  await stack.sfn.send(
    new StopExecutionCommand({
      executionArn: stack.executionArn(applicationId),
      error: 'Stopped',
      cause: 'stopped by hand',
    }),
  );
  expect(
    (await stack.sfn.send(new DescribeExecutionCommand({ executionArn: stack.executionArn(applicationId) }))).status,
  ).toBe('ABORTED');

  const [resumed] = await resumptions(applicationId);
  expect(resumed.detail).toEqual({
    stage: 'StaffReview',
    cause: 'ABORTED',
    execution: `${applicationId}-s1`,
    ended: applicationId,
  });
  await stack.waitingOnStaff(`${applicationId}-s1`);
  expect((await read(applicationId)).executionArn).toBe(stack.executionArn(`${applicationId}-s1`));
  // The resumption re-opened the same tasks: nothing new was sent.
  expect((await emailsAbout(applicationId)).map((email) => email.messageId)).toEqual(sentBefore);

  // The links already emailed still work, and their answers move the application on.
  expect((await followLink(review)).body.state).toBe('OPEN');
  expect((await followLink(review, { answer: { answer: 'pass' } })).status).toBe(200);
  expect((await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-01' } })).status).toBe(200);
  await api.waitForStatus(token, applicationId, 'FORMAL_REVIEW_PASSED');

  const emails = await emailsAbout(applicationId);
  expect(emails.filter(isReceipt)).toHaveLength(1);
  expect(sentTwice(emails)).toEqual([]);
}, 60_000);

test('an execution stopped between tasks (its formal check still sending) is resumed and reaches the staff tasks, with one receipt', async () => {
  const { token, email } = await newMember();
  const held = holdEmail(email, 'formal-check-passed');
  let applicationId: string;
  try {
    applicationId = await submitForum(token);
    // The formal check has passed the application and is sending its email: no staff task is open yet.
    await held.reached;
    expect((await read(applicationId)).status).toBe('FORMAL_CHECK_PASSED');
    await stack.sfn.send(new StopExecutionCommand({ executionArn: stack.executionArn(applicationId) }));

    const [resumed] = await resumptions(applicationId);
    expect(resumed.detail).toEqual({
      stage: 'StaffReview',
      cause: 'ABORTED',
      execution: `${applicationId}-s1`,
      ended: applicationId,
    });
  } finally {
    held.release(); // the stopped execution's step finishes sending, as a Lambda outliving its execution would
  }
  await stack.waitingOnStaff(`${applicationId}-s1`);
  await staffLink(applicationId, '形式审查');
  await staffLink(applicationId, '纸质');

  const emails = await eventually(async () => {
    const about = await emailsAbout(applicationId);
    return about.some((sent) => sent.subject.includes('请报送纸质材料')) ? about : undefined;
  });
  expect(emails.filter(isReceipt)).toHaveLength(1);
  expect(sentTwice(emails)).toEqual([]);
}, 60_000);

test('a restart while a step runs (the receipt still sending) resumes the application from its start: it reaches the staff tasks, with one receipt', async () => {
  const { token, email } = await newMember();
  const held = holdEmail(email, 'receipt');
  let applicationId: string;
  try {
    applicationId = await submitForum(token);
    await held.reached;
    expect((await read(applicationId)).status).toBe('SUBMITTED');
    // Stopped with the receipt step mid-send; the execution ends with the process (no event), and
    // the start finds the application unfinished with no execution running.
    await stack.restart();
  } finally {
    held.release(); // the old process's step finishes sending
  }
  expect(
    (await stack.sfn.send(new DescribeExecutionCommand({ executionArn: stack.executionArn(applicationId) }))).status,
  ).toBe('ABORTED');
  const [resumed] = await resumptions(applicationId);
  expect(resumed.detail).toEqual({ stage: 'Start', cause: 'RESTARTED', execution: `${applicationId}-s1` });

  await stack.waitingOnStaff(`${applicationId}-s1`, 90_000);
  await api.waitForStatus(token, applicationId, 'FORMAL_CHECK_PASSED');
  const emails = await emailsAbout(applicationId);
  expect(emails.filter(isReceipt)).toHaveLength(1);
  expect(sentTwice(emails)).toEqual([]);
}, 150_000);
