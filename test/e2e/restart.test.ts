import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import type { StoredEmail } from '../support/local';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * `npm start` keeps its data in .local/; executions end with the process. Applications waiting on
 * each kind of human task survive a restart: the same links work afterwards, and the answers move
 * each application on.
 */
const stack = useLocalStack({ persistent: true }); // on disk and on fixed ports, for restart()
const { api } = stack;
const CONTACT = 'dengmei@gdast.example.org';

const mailTo = (address: string, subjectPart: string, applicationId: string) => (email: StoredEmail) =>
  email.destination.to.includes(address) &&
  email.subject.includes(subjectPart) &&
  (email.body.text ?? '').includes(applicationId);
const emailed = (match: (email: StoredEmail) => boolean) => stack.email(match, 'an email');

test('applications waiting on an amendment, a formal review and paper copy, and a target review are answered after a restart', async () => {
  const staff = await api.staffToken();
  const submit = async (unitId: string, body: Record<string, unknown>) => {
    await api.request('PUT', `/units/${unitId}`, {
      token: staff,
      body: { name: { zh: unitId, en: unitId }, email: `office@${unitId}.example.org` },
    });
    const token = await api.unitToken(unitId);
    const submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
    expect(submitted.status).toBe(201);
    return { token, applicationId: submitted.body.applicationId as string };
  };
  // 1. returned by the automatic check, waiting on the unit's amendment
  const short = example('lingnan-forum');
  short.details.offlineAttendance = 150;
  const returned = await submit('restart-unit-a', short);
  await api.waitForStatus(returned.token, returned.applicationId, 'RETURNED_FOR_CORRECTION');
  // 2. waiting on the staff formal review and the paper copy
  const reviewing = await submit('restart-unit-b', example('lingnan-forum'));
  const reviewLink = taskLinkIn(await emailed(mailTo(CONTACT, '形式审查', reviewing.applicationId)));
  const paperLink = taskLinkIn(await emailed(mailTo(CONTACT, '纸质', reviewing.applicationId)));
  // 3. waiting on the target review
  const targeted = await submit('restart-unit-c', example('lingnan-forum'));
  await followLink(taskLinkIn(await emailed(mailTo(CONTACT, '形式审查', targeted.applicationId))), {
    answer: { answer: 'pass' },
  });
  await followLink(taskLinkIn(await emailed(mailTo(CONTACT, '纸质', targeted.applicationId))), {
    answer: { answer: 'received', receivedOn: '2023-09-01' },
  });
  const targetLink = taskLinkIn(await emailed(mailTo(CONTACT, '绩效目标审核', targeted.applicationId)));

  // Kill the stack with all three waiting, and start it again on the same data: the clock goes on
  // from where it stood (not back to its start), and every email is still in the mailbox.
  await stack.setClock('2023-09-20T15:00:00+08:00');
  const emailsBefore = await stack.emails();
  await stack.restart();
  const clockAfter = await stack.clockNow();
  expect(clockAfter.getTime()).toBeGreaterThanOrEqual(Date.parse('2023-09-20T15:00:00+08:00'));
  expect(clockAfter.getTime()).toBeLessThan(Date.parse('2023-09-20T15:05:00+08:00'));
  const emailsAfter = await stack.emails();
  expect(emailsAfter.length).toBeGreaterThanOrEqual(emailsBefore.length);
  expect(emailsAfter.slice(0, emailsBefore.length).map((e) => e.messageId)).toEqual(
    emailsBefore.map((e) => e.messageId),
  );

  // The same links, the same tasks; each answer moves its application on.
  expect((await followLink(reviewLink)).body.state).toBe('OPEN');
  expect((await followLink(reviewLink, { answer: { answer: 'pass' } })).status).toBe(200);
  expect((await followLink(paperLink, { answer: { answer: 'received', receivedOn: '2023-09-01' } })).status).toBe(200);
  await api.waitForStatus(reviewing.token, reviewing.applicationId, 'FORMAL_REVIEW_PASSED');

  expect((await followLink(targetLink, { answer: { answer: 'pass' } })).status).toBe(200);
  await api.waitForStatus(targeted.token, targeted.applicationId, 'READY_FOR_EXPERT_REVIEW');

  const amended = await api.request('PUT', `/applications/${returned.applicationId}`, {
    token: returned.token,
    body: example('lingnan-forum'),
  });
  expect(amended.status).toBe(200);
  await api.waitForStatus(returned.token, returned.applicationId, 'FORMAL_CHECK_PASSED');

  // The history says where each workflow resumed.
  const history = (await api.request('GET', `/applications/${reviewing.applicationId}`, { token: staff })).body
    .history as { stage: string; result: string }[];
  expect(history.map((entry) => `${entry.stage}:${entry.result}`)).toContain('Workflow:RESUMED');
}, 120_000);
