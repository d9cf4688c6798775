import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually, type StoredEmail } from '../support/local';

const stack = useLocalStack();
const { api } = stack;

/** Everyone an email went to: To, Cc and Bcc (the local SES store keeps all three). */
function recipientsOf(email: StoredEmail): string[] {
  const { to, cc = [], bcc = [] } = email.destination as { to: string[]; cc?: string[]; bcc?: string[] };
  return [...to, ...cc, ...bcc];
}

const countItems = async () =>
  (await stack.dynamo.send(new ScanCommand({ TableName: 'funding-call', Select: 'COUNT' }))).Count;

test('the call is published', async () => {
  const calls = await api.request('GET', '/calls');
  expect(calls.status).toBe(200);
  // Asked at the local clock's start, a week into the 2024 call: it takes submissions; the 2025 sample has not opened.
  expect(calls.body.now).toMatch(/^2023-09-01T09:\d\d:\d\d(\.\d+)?\+08:00$/);
  expect(calls.body.calls).toEqual([
    expect.objectContaining({
      callId: 'gdast-2024',
      documentNo: '粤科协学〔2023〕14号',
      submission: 'open',
      sample: false,
      awards: 34,
      projectTypes: 11,
    }),
    // The 2025 sample: the same call a year later, a seed file and nothing else, listed as a sample.
    expect.objectContaining({
      callId: 'gdast-2025',
      documentNo: '粤科协学〔2024〕（示例）',
      submission: 'not-open',
      sample: true,
      sampleNote: expect.objectContaining({ zh: expect.stringContaining('示例') }),
      awards: 34,
      projectTypes: 11,
    }),
  ]);
  expect(calls.body.calls[0]).not.toHaveProperty('sampleNote');
  const call = await api.request('GET', '/calls/gdast-2024');
  expect(call.status).toBe(200);
  expect(call.body.projectTypes).toHaveLength(11);
  expect((await api.request('GET', '/calls/nope')).status).toBe(404);
});

test('one application goes from HTTP to DynamoDB, a workflow execution with its history, and a receipt email', async () => {
  const token = await api.unitToken('gd-physics-society');
  const body = example('lingnan-forum');
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
  expect(submitted.status).toBe(201);
  expect(submitted.body).toEqual({ applicationId: expect.any(String), status: 'SUBMITTED' });
  const { applicationId } = submitted.body;

  // The status a unit reads once the automatic stages have run.
  const done = await eventually(async () => {
    const answer = await api.request('GET', `/applications/${applicationId}`, { token });
    return answer.body.status === 'FORMAL_CHECK_PASSED' ? answer.body : undefined;
  });
  // The staff tasks may already have opened after these (their entries follow).
  expect(
    done.history.map((entry: { stage: string; result: string }) => `${entry.stage}:${entry.result}`).slice(0, 3),
  ).toEqual(['Submission:SUBMITTED', 'Receipt:RECEIPT_SENT', 'FormalCheck:PASSED']);

  // A unit does not see the execution's ARN (it names the AWS account); staff do.
  expect(done).not.toHaveProperty('executionArn');
  const asStaff = await api.request('GET', `/applications/${applicationId}`, { token: await api.staffToken() });
  expect(asStaff.body.executionArn).toContain(applicationId);

  // The stored item, read straight from DynamoDB Local.
  const item = await stack.dynamo.send(
    new GetItemCommand({ TableName: 'funding-call', Key: { PK: { S: `APP#${applicationId}` }, SK: { S: 'APP' } } }),
  );
  const stored = unmarshall(item.Item!);
  expect(stored).toMatchObject({
    unitId: 'gd-physics-society',
    projectTypeId: 'lingnan-forum',
    status: 'FORMAL_CHECK_PASSED',
    callId: 'gdast-2024',
  });
  expect(stored.form.title).toBe(body.title);

  // The execution, named by the application id, and its history through the Step Functions API.
  const executions = await stack.sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }));
  const execution = executions.executions?.find((e) => e.name === applicationId);
  expect(execution).toBeDefined();
  expect(stored.executionArn).toBe(execution!.executionArn);
  // Past the automatic stages, the execution waits on the staff formal review and the paper copy.
  const waiting = await stack.waitingOnStaff(applicationId);
  expect(waiting.status).toBe('RUNNING');
  const history = await stack.sfn.send(
    new GetExecutionHistoryCommand({ executionArn: execution!.executionArn, maxResults: 1000 }),
  );
  const entered = (history.events ?? []).flatMap((event) =>
    event.stateEnteredEventDetails ? [event.stateEnteredEventDetails.name] : [],
  );
  expect(entered).toEqual(
    expect.arrayContaining([
      'ResumeAtStage',
      'SendReceipt',
      'FormalCheck',
      'PassedFormalCheck?',
      'StaffReviewAndPaperCopy',
      'StaffFormalReview',
      'PaperCopy',
    ]),
  );
  expect(history.events?.[0]?.type).toBe('ExecutionStarted');
  expect(
    (history.events ?? []).filter((event) => /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(event.type ?? '')),
  ).toEqual([]);

  // The receipt, on the local SES's store, Chinese first.
  const emails = await stack.emails();
  const receipt = emails.find(
    (email) => email.subject.includes('申报回执') && email.body.text?.includes(applicationId),
  );
  expect(receipt).toBeDefined();
  expect(receipt!.destination.to).toEqual([body.contact.email]);
  const text = receipt!.body.text!;
  expect(text.indexOf('申报编号')).toBeGreaterThanOrEqual(0);
  expect(text.indexOf('申报编号')).toBeLessThan(text.indexOf('Application id'));
});

test("a unit's emails go to its registered address only: the form's contact, an outside address, is never a recipient", async () => {
  const token = await api.unitToken('outside-contact-unit'); // registered as office@outside-contact-unit.example.org
  const outside = 'anyone@outside.example.net';
  const form = example('lingnan-forum');
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', {
    token,
    body: { ...form, contact: { ...form.contact, email: outside } },
  });
  expect(submitted.status).toBe(201);
  const { applicationId } = submitted.body;
  await api.waitForStatus(token, applicationId, 'FORMAL_CHECK_PASSED');
  const receipt = await stack.email(
    (e) => e.subject.includes('申报回执') && e.body.text?.includes(applicationId),
    'the receipt',
  );
  expect(recipientsOf(receipt)).toEqual(['office@outside-contact-unit.example.org']);
  // The contact is still greeted by name in the text.
  expect(receipt.body.text).toContain(`${form.contact.name}同志`);
  const passed = await stack.email(
    (e) => e.subject.includes('形式审查') && e.body.text?.includes(applicationId),
    'the formal check result',
  );
  expect(recipientsOf(passed)).toEqual(['office@outside-contact-unit.example.org']);
  // The history says where the receipt went.
  const read = (await api.request('GET', `/applications/${applicationId}`, { token })).body;
  expect(read.history.find((entry: { result: string }) => entry.result === 'RECEIPT_SENT').detail).toEqual({
    to: 'office@outside-contact-unit.example.org',
  });
  // No email of this application, to the unit or to staff, went to the outside address.
  const about = (await stack.emails()).filter((e) => e.body.text?.includes(applicationId));
  expect(about.filter((e) => recipientsOf(e).includes(outside))).toEqual([]);
});

test('a society with no registered address is no member yet: 403 NOT_A_MEMBER, nothing stored, nothing sent; once registered it applies', async () => {
  // A standing set for a society before it was registered makes its item, with no address.
  const unitId = 'standing-only-unit';
  const staff = await api.staffToken();
  const standing = await api.request('PUT', `/units/${unitId}/standing`, {
    token: staff,
    body: { barred: false, reason: '新会员' },
  });
  expect(standing.status).toBe(200);
  const outside = 'anyone@standing-only.example.net';
  const form = { ...example('lingnan-forum'), contact: { ...example('lingnan-forum').contact, email: outside } };
  const token = await api.tokenFor(unitId);
  const before = await countItems();
  const refused = await api.submit(token, form);
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('NOT_A_MEMBER');
  expect(await countItems()).toBe(before);

  const registered = await api.request('PUT', `/units/${unitId}`, {
    token: staff,
    body: { name: { zh: '新会员学会', en: 'New member' }, email: 'office@standing-only.example.org' },
  });
  expect(registered.status).toBe(200);
  const submitted = await api.submit(token, form);
  expect(submitted.status).toBe(201);
  const receipt = await stack.email(
    (e) =>
      e.body.text?.includes(submitted.body.applicationId) &&
      recipientsOf(e).includes('office@standing-only.example.org'),
    'the receipt',
  );
  expect(recipientsOf(receipt)).toEqual(['office@standing-only.example.org']);
  expect((await stack.emails()).filter((e) => recipientsOf(e).includes(outside))).toEqual([]);
  // Its workflow settles before the next test counts the table's items.
  await stack.waitingOnStaff(submitted.body.applicationId);
});

test('a malformed body is refused with every bad field named, and nothing is written', async () => {
  const token = await api.unitToken('gd-chemistry-society');
  const before = await countItems();
  const body = {
    ...example('secretary-general-salon'),
    title: '',
    budget: { requestedCny: 'lots', items: [] },
    lead: undefined,
  };
  const answer = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
  expect(answer.status).toBe(400);
  expect(answer.body.error.code).toBe('VALIDATION_FAILED');
  const paths = answer.body.error.details.map((detail: { path: string }) => detail.path);
  expect(paths).toEqual(expect.arrayContaining(['title', 'budget.requestedCny', 'lead']));
  const notJson = await api.request('POST', '/calls/gdast-2024/applications', { token, raw: '{"title": ' });
  expect(notJson.status).toBe(400);
  expect(notJson.body.error.code).toBe('MALFORMED_JSON');
  expect(await countItems()).toBe(before);
});

test('without a token the API answers 401', async () => {
  const answer = await api.request('POST', '/calls/gdast-2024/applications', { body: example('lingnan-forum') });
  expect(answer.status).toBe(401);
  expect(answer.body.error.code).toBe('UNAUTHENTICATED');
});
