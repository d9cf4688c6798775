import {
  GetItemCommand,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MessageRejected, SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { invokeLocal } from '@infra/local/lambdas';
import { logger } from '@shared/adapters/logger';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually } from '../support/local';

/**
 * Faults injected into the product's own AWS calls. The local stack runs every handler in this
 * process, so stubbing a client class's `send` (aws-sdk-client-mock) reaches the product's clients;
 * every call a test does not fault passes through to the real local service.
 */
const stack = useLocalStack();
/**
 * `inject(ClientClass, fault)` stubs `send` of a client class until the test ends: `fault` picks the
 * calls that fail (and with what); every other call goes on to the real service, so the rest of the
 * product keeps working around the fault.
 */
const { api, intercept: inject, executionArn: executionArnOf, finished, waitingOnStaff } = stack;

const named = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } }, extra);

const submit = api.submit.bind(api);

/** The automatic stages of a record (the staff stages that follow them are staff-review.test.ts's subject). */
const STAFF_STAGES = new Set(['StaffFormalReview', 'PaperCopy', 'TargetReview']);
const stages = (record: { history: { stage: string; result: string }[] }) =>
  record.history.filter((entry) => !STAFF_STAGES.has(entry.stage)).map((entry) => `${entry.stage}:${entry.result}`);
/** A unit's own emails (to its registered address), not those asking staff to act. */
const toUnit = (unitId: string) => (command: { args: [unknown] }) => {
  const input = (command.args[0] as SendEmailCommand).input;
  return input.Destination?.ToAddresses?.includes(`office@${unitId}.example.org`) ?? false;
};

async function storedItem(applicationId: string): Promise<Record<string, any> | undefined> {
  const item = await stack.dynamo.send(
    new GetItemCommand({
      TableName: 'funding-call',
      Key: { PK: { S: `APP#${applicationId}` }, SK: { S: 'APP' } },
      ConsistentRead: true,
    }),
  );
  return item.Item ? unmarshall(item.Item) : undefined;
}

async function startMarker(applicationId: string): Promise<boolean> {
  const item = await stack.dynamo.send(
    new GetItemCommand({
      TableName: 'funding-call',
      Key: { PK: { S: `START#${applicationId}` }, SK: { S: 'START' } },
      ConsistentRead: true,
    }),
  );
  return item.Item !== undefined;
}

async function history(applicationId: string): Promise<HistoryEvent[]> {
  const answer = await stack.sfn.send(
    new GetExecutionHistoryCommand({ executionArn: executionArnOf(applicationId), maxResults: 1000 }),
  );
  return answer.events ?? [];
}

/** The events of one Task state's run, from its TaskStateEntered to its TaskStateExited (or the end). */
function eventsOfState(events: HistoryEvent[], stateName: string): HistoryEvent[] {
  const start = events.findIndex(
    (event) => event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.name === stateName,
  );
  if (start < 0) return [];
  const end = events.findIndex(
    (event, i) => i > start && (event.type?.endsWith('StateEntered') || event.type?.endsWith('StateExited')),
  );
  return events.slice(start, end < 0 ? undefined : end + 1);
}

/** Something shaped like an email address, as it would appear in a log line. */
const EMAIL_ADDRESS = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;

/**
 * Every line the product's logger (and the metrics beside it) writes while `run` runs, at every level.
 * The lines are kept from the terminal; anything else written meanwhile (jest's own output) passes.
 */
async function logLinesOf(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const capture = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream);
    return jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      const text = String(chunk);
      if (!text.startsWith('{')) return write(chunk, ...rest);
      lines.push(text);
      return true;
    }) as typeof stream.write);
  };
  const level = logger.getLevelName();
  // Each invocation puts the level back to the one the tests start with (SILENT), unless told not to.
  const spies = [
    capture(process.stdout),
    capture(process.stderr),
    jest.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined),
  ];
  logger.setLogLevel('DEBUG');
  try {
    await run();
  } finally {
    logger.setLogLevel(level);
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

const receiptsFor = async (applicationId: string) =>
  (await stack.emails()).filter(
    (email) => email.subject.startsWith('【申报回执】') && email.body.text?.includes(applicationId),
  );

describe('SES faults in the workflow', () => {
  test('SES refuses the send (MessageRejected: an unverified sender, the sandbox): the receipt step fails visibly, and once SES sends, the receipt goes out', async () => {
    const ses = inject(SESClient, (command) =>
      command instanceof SendEmailCommand
        ? new MessageRejected({
            message:
              'Email address is not verified. The following identities failed the check in region US-EAST-1: noreply@gdast.local',
            $metadata: { httpStatusCode: 400 },
          })
        : undefined,
    );
    const token = await api.unitToken('faults-ses-refused');
    const { applicationId } = (await submit(token, example('lingnan-forum'))).body;

    // Not "undeliverable" and on: the step fails, the workflow's Catch records it, the execution
    // ends failed (what the executions-failed alarm counts).
    const described = await finished(applicationId);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('WorkflowFailed');
    const read = await api.request('GET', `/applications/${applicationId}`, { token });
    expect(read.body.status).toBe('SUBMITTED');
    expect(stages(read.body)).toEqual(['Submission:SUBMITTED', 'Workflow:FAILED']);
    expect(read.body.history.at(-1)).toMatchObject({
      stage: 'Workflow',
      result: 'FAILED',
      detail: { stage: 'SendReceipt', error: 'MessageRejected' },
    });
    expect(JSON.stringify(read.body.history)).not.toContain('UNDELIVERABLE');
    // Staff see why, in SES's words.
    const staffView = (await api.request('GET', `/applications/${applicationId}`, { token: await api.staffToken() }))
      .body;
    expect(staffView.failure).toMatchObject({ stage: 'SendReceipt', error: 'MessageRejected' });
    expect(staffView.failure.cause).toContain('Email address is not verified');
    expect(staffView.emails).toEqual([]);

    // Refused at once, not retried (no retry changes a refusal), and never marked as sent.
    expect(ses.commandCalls(SendEmailCommand).filter(toUnit('faults-ses-refused'))).toHaveLength(1);
    const receipt = eventsOfState(await history(applicationId), 'SendReceipt');
    expect(receipt.map((event) => event.type)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
    ]);
    expect(receipt[3].taskFailedEventDetails?.error).toBe('MessageRejected');
    expect(await receiptsFor(applicationId)).toHaveLength(0);

    // The sender is verified (SES sends again): the recovery started a quarter of an hour later sends the receipt.
    ses.restore();
    const clock = (await stack.clockNow()).getTime();
    await api.setClock(new Date(clock + 16 * 60 * 1000).toISOString());
    const recovered = await api.waitForStatus(token, applicationId, 'FORMAL_CHECK_PASSED');
    expect(stages(recovered)).toEqual([
      'Submission:SUBMITTED',
      'Workflow:FAILED',
      'Receipt:RECEIPT_SENT',
      'FormalCheck:PASSED',
    ]);
    expect(await receiptsFor(applicationId)).toHaveLength(1);
    await stack.resetClock();
  });

  test('every send names the configuration set and what it is about; a bounce and a complaint SES reports later are recorded on the application, once each', async () => {
    const ses = inject(SESClient, () => undefined); // watches, changes nothing
    const unitId = 'faults-ses-bounced';
    const token = await api.unitToken(unitId);
    const { applicationId } = (await submit(token, example('lingnan-forum'))).body;
    expect((await waitingOnStaff(applicationId)).status).toBe('RUNNING');

    const sent = ses
      .commandCalls(SendEmailCommand)
      .filter(toUnit(unitId))
      .map((call) => (call.args[0] as SendEmailCommand).input);
    expect(sent.map((input) => input.ConfigurationSetName)).toEqual(['funding-call-local', 'funding-call-local']);
    expect(sent.map((input) => input.Tags)).toEqual([
      [
        { Name: 'emailKey', Value: 'receipt' },
        { Name: 'applicationId', Value: applicationId },
        { Name: 'stage', Value: 'Receipt' },
      ],
      [
        { Name: 'emailKey', Value: 'formal-check-passed' },
        { Name: 'applicationId', Value: applicationId },
        { Name: 'stage', Value: 'FormalCheck' },
      ],
    ]);

    // SES's events, as the configuration set publishes them through SNS to record-email-event.
    const staffToken = await api.staffToken();
    const logged: { template: string; messageId: string }[] = (
      await api.request('GET', `/applications/${applicationId}`, { token: staffToken })
    ).body.emails;
    const messageIdOf = (template: string) => logged.find((email) => email.template === template)?.messageId as string;
    const snsEvent = (input: (typeof sent)[number], messageId: string, event: Record<string, unknown>) => ({
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            Message: JSON.stringify({
              ...event,
              mail: {
                messageId,
                timestamp: '2023-09-01T01:00:00.000Z',
                destination: input.Destination?.ToAddresses,
                tags: {
                  'ses:configuration-set': [input.ConfigurationSetName],
                  ...Object.fromEntries((input.Tags ?? []).map((tag) => [tag.Name, [tag.Value]])),
                },
              },
            }),
          },
        },
      ],
    });
    const to = `office@${unitId}.example.org`;
    const bounce = snsEvent(sent[0], messageIdOf('receipt'), {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: to }],
        timestamp: '2023-09-01T01:00:05.000Z',
        feedbackId: 'b-1',
      },
    });
    const complaint = snsEvent(sent[1], messageIdOf('formal-check-passed'), {
      eventType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: to }],
        complaintFeedbackType: 'abuse',
        timestamp: '2023-09-01T02:00:00.000Z',
        feedbackId: 'c-1',
      },
    });
    // About no application (an expert's digest) and about one that does not exist: logged only.
    const withTags = (tags: NonNullable<(typeof sent)[number]['Tags']>) => ({ ...sent[0], Tags: tags });
    const aboutNothing = snsEvent(withTags(sent[0].Tags!.filter((tag) => tag.Name !== 'applicationId')), 'm-nothing', {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: to }],
        feedbackId: 'b-2',
      },
    });
    const aboutMissing = snsEvent(
      withTags(
        sent[0].Tags!.map((tag) =>
          tag.Name === 'applicationId' ? { ...tag, Value: '00000000-0000-4000-8000-000000000000' } : tag,
        ),
      ),
      'm-missing',
      { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: to }], feedbackId: 'c-2' } },
    );
    const lines = await logLinesOf(async () => {
      expect(await invokeLocal('record-email-event', bounce)).toEqual({ outcomes: ['recorded'] });
      expect(await invokeLocal('record-email-event', complaint)).toEqual({ outcomes: ['recorded'] });
      // SNS delivers at least once: the same notice again records nothing.
      expect(await invokeLocal('record-email-event', bounce)).toEqual({ outcomes: ['recorded-before'] });
      expect(await invokeLocal('record-email-event', aboutNothing)).toEqual({ outcomes: ['logged'] });
      expect(await invokeLocal('record-email-event', aboutMissing)).toEqual({ outcomes: ['logged'] });
    });
    // Each bounce and complaint is logged (what, which email, SES's message id), and no line names a
    // recipient's address: logs go to operators and are kept apart from the records staff correct from.
    expect(lines.filter((line) => /email (bounce|complaint)/.test(line))).toHaveLength(4);
    expect(lines.filter((line) => line.includes(to) || EMAIL_ADDRESS.test(line))).toEqual([]);

    const read = (await api.request('GET', `/applications/${applicationId}`, { token })).body;
    const emailEvents = read.history.filter((entry: { result: string }) => entry.result.startsWith('EMAIL_'));
    expect(emailEvents).toEqual([
      {
        stage: 'Receipt',
        result: 'EMAIL_BOUNCED',
        at: '2023-09-01T09:00:05.000+08:00',
        detail: { to, type: 'Permanent/General', messageId: messageIdOf('receipt'), email: 'receipt' },
      },
      {
        stage: 'FormalCheck',
        result: 'EMAIL_COMPLAINED',
        at: '2023-09-01T10:00:00.000+08:00',
        detail: { to, type: 'abuse', messageId: messageIdOf('formal-check-passed'), email: 'formal-check-passed' },
      },
    ]);
    // The email was accepted and its step done: the application goes on.
    expect(read.status).toBe('FORMAL_CHECK_PASSED');
  });

  test('SES down (the account paused): the receipt step fails, the failure is recorded, the execution ends WorkflowFailed', async () => {
    const ses = inject(SESClient, (command) =>
      command instanceof SendEmailCommand
        ? Object.assign(new Error('Email address is not verified.'), { name: 'AccountSendingPausedException' })
        : undefined,
    );
    const token = await api.unitToken('faults-ses-down');
    const submitted = await submit(token, example('lingnan-forum'));
    expect(submitted.status).toBe(201);
    const { applicationId } = submitted.body;

    const described = await finished(applicationId);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('WorkflowFailed');

    // What the unit (and staff) read: the workflow's failure is on the record, the check never ran.
    const read = await api.request('GET', `/applications/${applicationId}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('SUBMITTED');
    expect(stages(read.body)).toEqual(['Submission:SUBMITTED', 'Workflow:FAILED']);
    expect(read.body.history.at(-1)).toMatchObject({
      stage: 'Workflow',
      result: 'FAILED',
      detail: { stage: 'SendReceipt', error: 'AccountSendingPausedException' },
    });
    const stored = await storedItem(applicationId);
    expect(stored?.failure).toMatchObject({ stage: 'SendReceipt', error: 'AccountSendingPausedException' });
    expect(stored?.failure.cause).toContain('Email address is not verified.');

    // A paused account is not a transient fault: one attempt, no Retry, then the Catch.
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const events = await history(applicationId);
    const receipt = eventsOfState(events, 'SendReceipt');
    expect(receipt.map((event) => event.type)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
    ]);
    expect(receipt[3].taskFailedEventDetails?.error).toBe('AccountSendingPausedException');
    const entered = events.flatMap((event) =>
      event.stateEnteredEventDetails ? [event.stateEnteredEventDetails.name] : [],
    );
    expect(entered).toEqual(['ResumeAtStage', 'SendReceipt', 'SendReceiptFailed', 'RecordFailure', 'WorkflowFailed']);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'WorkflowFailed' },
    });

    // Nothing reached the mailbox, and the marker was released: once SES is back a re-run can send it.
    expect(await receiptsFor(applicationId)).toHaveLength(0);
    expect(
      await stack.dynamo
        .send(
          new GetItemCommand({
            TableName: 'funding-call',
            Key: { PK: { S: `EMAIL#${applicationId}#receipt` }, SK: { S: 'EMAIL' } },
            ConsistentRead: true,
          }),
        )
        .then((r) => r.Item),
    ).toBeUndefined();

    // SES comes back. The failed workflow is started again by itself a quarter of an hour later
    // (the sweep acts on the recovery task): the receipt goes out once and the check runs.
    ses.restore();
    const clock = (await stack.clockNow()).getTime();
    await api.setClock(new Date(clock + 10 * 60 * 1000).toISOString());
    expect((await api.request('GET', `/applications/${applicationId}`, { token })).body.status).toBe('SUBMITTED');
    await api.setClock(new Date(clock + 16 * 60 * 1000).toISOString());
    const recovered = await api.waitForStatus(token, applicationId, 'FORMAL_CHECK_PASSED');
    expect(stages(recovered)).toEqual([
      'Submission:SUBMITTED',
      'Workflow:FAILED',
      'Receipt:RECEIPT_SENT',
      'FormalCheck:PASSED',
    ]);
    expect(await receiptsFor(applicationId)).toHaveLength(1);
    const staffView = (await api.request('GET', `/applications/${applicationId}`, { token: await api.staffToken() }))
      .body;
    expect(staffView.executionArn).toMatch(new RegExp(`${applicationId}-r1$`));
    expect(staffView.failure).toBeUndefined();
    await stack.resetClock();
  });

  test('a throttled SES is retried by the workflow: one receipt, the application passes, the history shows the retry', async () => {
    let throttles = 1;
    const ses = inject(SESClient, (command) =>
      // Only this unit's sends: emails of earlier tests' applications (their staff tasks) may still be on their way.
      command instanceof SendEmailCommand &&
      command.input.Destination?.ToAddresses?.includes('office@faults-ses-throttled.example.org') &&
      throttles-- > 0
        ? named('Throttling', 'Maximum sending rate exceeded.')
        : undefined,
    );
    const token = await api.unitToken('faults-ses-throttled');
    const submitted = await submit(token, example('lingnan-forum'));
    expect(submitted.status).toBe(201);
    const { applicationId } = submitted.body;

    expect((await waitingOnStaff(applicationId)).status).toBe('RUNNING');
    const read = await api.request('GET', `/applications/${applicationId}`, { token });
    expect(read.body.status).toBe('FORMAL_CHECK_PASSED');
    expect(stages(read.body)).toEqual(['Submission:SUBMITTED', 'Receipt:RECEIPT_SENT', 'FormalCheck:PASSED']);
    expect((await storedItem(applicationId))?.failure).toBeUndefined();

    expect(await receiptsFor(applicationId)).toHaveLength(1);
    // the throttled send, the retried receipt, the formal-check-passed email (to the unit)
    expect(ses.commandCalls(SendEmailCommand).filter(toUnit('faults-ses-throttled'))).toHaveLength(3);

    const receipt = eventsOfState(await history(applicationId), 'SendReceipt');
    expect(receipt.map((event) => event.type)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(receipt[3].taskFailedEventDetails?.error).toBe('Throttling');
    // Retry interval 2 s: the second attempt was scheduled no sooner.
    const gapMs = receipt[4].timestamp!.getTime() - receipt[3].timestamp!.getTime();
    expect(gapMs).toBeGreaterThanOrEqual(1900);
  });
});

describe('a lost workflow start', () => {
  test('StartExecution fails: the submission still answers 201, and a retry with the same Idempotency-Key starts the workflow', async () => {
    let failures = 1;
    const sfnMock = inject(SFNClient, (command) =>
      command instanceof StartExecutionCommand && failures-- > 0
        ? named('ServiceUnavailable', 'Service is unavailable', {
            $fault: 'server',
            $metadata: { httpStatusCode: 503 },
          })
        : undefined,
    );
    const token = await api.unitToken('faults-start-lost');
    const body = example('lingnan-forum');
    const headers = { 'Idempotency-Key': 'faults-start-lost-1' };

    const first = await submit(token, body, headers);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ applicationId: expect.any(String), status: 'SUBMITTED' });
    const { applicationId } = first.body;
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(1);

    // Stored, but no execution yet (the deadline sweep would start it after its grace minute; this
    // test stays well inside that minute and heals it with the client's retry instead).
    const stored = await storedItem(applicationId);
    expect(stored).toMatchObject({ status: 'SUBMITTED', unitId: 'faults-start-lost' });
    expect(stored?.executionArn).toBeUndefined();
    expect(await startMarker(applicationId)).toBe(true);
    const listed = await stack.sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }));
    expect(listed.executions?.some((execution) => execution.name === applicationId)).toBe(false);

    // The client's retry (same key, same body) heals it: same application, its workflow now started.
    const retry = await submit(token, body, headers);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ applicationId, status: 'SUBMITTED' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2);

    const done = await api.waitForStatus(await api.staffToken(), applicationId, 'FORMAL_CHECK_PASSED');
    // The execution's first step named it on the record and took the marker away: the sweep leaves it be.
    expect(done.executionArn).toBe(executionArnOf(applicationId));
    expect(await startMarker(applicationId)).toBe(false);
    expect((await waitingOnStaff(applicationId)).status).toBe('RUNNING');

    // One application, one slot used, one receipt.
    const mine = await api.request('GET', '/units/me/applications', { token });
    expect(mine.body.applications.map((app: { applicationId: string }) => app.applicationId)).toEqual([applicationId]);
    expect(await receiptsFor(applicationId)).toHaveLength(1);

    // A third copy of the request changes nothing and starts nothing.
    const third = await submit(token, body, headers);
    expect(third.status).toBe(201);
    expect(third.body.applicationId).toBe(applicationId);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });
});

describe('DynamoDB throttled on submission', () => {
  const throttled = [
    [
      'ProvisionedThroughputExceededException',
      'faults-ddb-throughput',
      () =>
        new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded.',
          $metadata: { httpStatusCode: 400 },
        }),
    ],
    [
      'TransactionCanceledException [ThrottlingError]',
      'faults-ddb-cancelled',
      () =>
        new TransactionCanceledException({
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ThrottlingError, None]',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [
            { Code: 'None' },
            { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity of your table or index.' },
            { Code: 'None' },
          ],
        }),
    ],
  ] as const;

  test.each(throttled)(
    '%s on every TransactWriteItems: 503 BUSY with Retry-After, nothing stored, and a later retry succeeds',
    async (_label, unitId, error) => {
      // The product writes through the DocumentClient; stubbing DynamoDBClient would not reach it.
      const ddb = inject(DynamoDBDocumentClient, (command) =>
        command instanceof TransactWriteCommand ? error() : undefined,
      );
      const token = await api.unitToken(unitId);
      const body = example('lingnan-forum');
      const headers = { 'Idempotency-Key': `${unitId}-1` };

      const busy = await submit(token, body, headers);
      expect(busy.status).toBe(503);
      expect(busy.body.error.code).toBe('BUSY');
      expect(busy.headers.get('retry-after')).toBe('2');
      expect(ddb.commandCalls(TransactWriteCommand).length).toBeGreaterThanOrEqual(1);
      const again = await submit(token, body, headers);
      expect(again.status).toBe(503);
      const mine = await api.request('GET', '/units/me/applications', { token });
      expect(mine.status).toBe(200);
      expect(mine.body.applications).toEqual([]);

      stack.restoreStubs();
      const ok = await submit(token, body, headers);
      expect(ok.status).toBe(201);
      expect(ok.headers.get('idempotent-replayed')).toBeNull();
      await eventually(
        async () => {
          const answer = await api.request('GET', `/applications/${ok.body.applicationId}`, { token });
          return answer.body.status === 'FORMAL_CHECK_PASSED' ? true : undefined;
        },
        20_000,
        'FORMAL_CHECK_PASSED',
      );
    },
  );
});

/** A step retried after it had already done part of its work does not repeat or lose that part. */
describe('retries after partial work', () => {
  const subjectOf = (command: unknown) =>
    command instanceof SendEmailCommand ? (command.input.Message?.Subject?.Data ?? '') : '';

  test('FormalCheck retried after recording its result (SES throttled on the passed email) still goes on to the staff review and sends that email', async () => {
    let throttles = 1;
    // The "formal check passed" email, which tells the unit to send its paper copy.
    const passedSubject = '【请报送纸质材料】';
    inject(SESClient, (command) =>
      subjectOf(command).startsWith(passedSubject) &&
      (command as SendEmailCommand).input.Destination?.ToAddresses?.includes(
        'office@faults-bug-formal-check-retry.example.org',
      ) &&
      throttles-- > 0
        ? named('Throttling', 'Maximum sending rate exceeded.')
        : undefined,
    );
    const token = await api.unitToken('faults-bug-formal-check-retry');
    const { body } = await submit(token, example('lingnan-forum'));
    const { entered } = await waitingOnStaff(body.applicationId);
    const read = await api.request('GET', `/applications/${body.applicationId}`, { token });
    expect(read.body.status).toBe('FORMAL_CHECK_PASSED');
    // Once: the retry found status FORMAL_CHECK_PASSED, threw Withdrawn, and the execution ended in
    // the Withdrawn state; the "formal check passed" email was never sent.
    expect(entered).not.toContain('Withdrawn');
    expect(entered).not.toContain('FormalCheckFailed');
    expect(entered.slice(entered.indexOf('PassedFormalCheck?'), entered.indexOf('PassedFormalCheck?') + 2)).toEqual([
      'PassedFormalCheck?',
      'StaffReviewAndPaperCopy',
    ]);
    const passedEmails = (await stack.emails()).filter(
      (email) => email.subject.startsWith(passedSubject) && email.body.text?.includes(body.applicationId),
    );
    expect(passedEmails).toHaveLength(1);
  });

  test('SendReceipt retried after the email went (its history write throttled) still records Receipt:RECEIPT_SENT', async () => {
    let throttles = 1;
    inject(DynamoDBDocumentClient, (command) =>
      command instanceof UpdateCommand && JSON.stringify(command.input).includes('RECEIPT_SENT') && throttles-- > 0
        ? named(
            'ProvisionedThroughputExceededException',
            'The level of configured provisioned throughput for the table was exceeded.',
          )
        : undefined,
    );
    const token = await api.unitToken('faults-bug-receipt-entry');
    const { body } = await submit(token, example('lingnan-forum'));
    expect((await waitingOnStaff(body.applicationId)).status).toBe('RUNNING');
    expect(await receiptsFor(body.applicationId)).toHaveLength(1);
    const read = await api.request('GET', `/applications/${body.applicationId}`, { token });
    // Today: ['Submission:SUBMITTED', 'FormalCheck:PASSED'] — the retry's sendEmailOnce returns false,
    // so nothing records that the receipt went.
    expect(stages(read.body)).toEqual(['Submission:SUBMITTED', 'Receipt:RECEIPT_SENT', 'FormalCheck:PASSED']);
  });

  test('a retried submission whose StartExecution fails again answers like the first attempt, not 500', async () => {
    inject(SFNClient, (command) =>
      command instanceof StartExecutionCommand
        ? named('ServiceUnavailable', 'Service is unavailable', {
            $fault: 'server',
            $metadata: { httpStatusCode: 503 },
          })
        : undefined,
    );
    const token = await api.unitToken('faults-bug-replay-500');
    const body = example('lingnan-forum');
    const headers = { 'Idempotency-Key': 'faults-bug-replay-500-1' };
    const first = await submit(token, body, headers);
    expect(first.status).toBe(201);
    const retry = await submit(token, body, headers);
    // Today: 500 INTERNAL (replay() lets the StartExecution error escape); the first attempt said 201.
    expect([201, 503]).toContain(retry.status);
    if (retry.status === 201) expect(retry.body.applicationId).toBe(first.body.applicationId);
  });
});
