import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { consoleRoutes } from '@infra/local/console';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { passStaffStages } from '../support/task-links';

const stack = useLocalStack();
const { api } = stack;

/** A page as a browser (or curl) gets it. */
async function getPage(route: string): Promise<{ status: number; type: string; html: string }> {
  const response = await fetch(`${stack.urls.api}${route}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', html: await response.text() };
}

async function submit(unitId: string, body: Record<string, unknown>): Promise<string> {
  const token = await api.unitToken(unitId);
  const answer = await api.submit(token, body);
  expect(answer.status).toBe(201);
  return answer.body.applicationId as string;
}

/**
 * Takes the application through the staff stages (from the links in the staff's emails); it then
 * waits for the call's expert review round, and the unit withdraws it, which ends its execution.
 */
const settled = async (name: string, unitId = 'console-unit') => {
  await passStaffStages(() => stack.emails(), name);
  const token = await api.unitToken(unitId);
  await api.waitForStatus(token, name, 'READY_FOR_EXPERT_REVIEW');
  const withdrawn = await api.request('POST', `/applications/${name}/withdraw`, { token });
  if (withdrawn.status !== 200) throw new Error(`withdraw: ${withdrawn.status} ${JSON.stringify(withdrawn.body)}`);
  return (await stack.finished(name)).status;
};

let applicationId: string;

test('the executions page lists the execution of a submitted application, newest first, refreshing itself', async () => {
  applicationId = await submit('console-unit', example('lingnan-forum'));
  expect(await settled(applicationId)).toBe('SUCCEEDED');

  const list = await getPage('/_local/console/executions');
  expect(list.status).toBe(200);
  expect(list.type).toBe('text/html; charset=utf-8');
  expect(list.html).toMatch(/^<!DOCTYPE html>/);
  expect(list.html).toContain(applicationId);
  expect(list.html).toContain(`href="/_local/console/executions/${applicationId}"`);
  expect(list.html).toContain('SUCCEEDED');
  expect(list.html).toContain('<meta http-equiv="refresh" content="5">');
  // The title, straight from the application record, in its Chinese.
  expect(list.html).toContain(example('lingnan-forum').title);
  // No script and nothing loaded from elsewhere.
  expect(list.html).not.toMatch(/<script|<link|src=/i);
  // Beijing time: the start time shown is the execution's start date at UTC+08:00.
  const described = await stack.sfn.send(
    new DescribeExecutionCommand({ executionArn: stack.executionArn(applicationId) }),
  );
  const beijing = new Date(described.startDate!.getTime() + 8 * 3600_000).toISOString();
  expect(list.html).toContain(`${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`);
  // A trailing slash is the same page.
  expect((await getPage('/_local/console/executions/')).html).toContain(applicationId);
});

test('the detail page shows the input, output and the full history', async () => {
  const detail = await getPage(`/_local/console/executions/${applicationId}`);
  expect(detail.status).toBe(200);
  expect(detail.type).toBe('text/html; charset=utf-8');
  for (const text of [
    'SendReceipt',
    'FormalCheck',
    'ExecutionStarted',
    'ExecutionSucceeded',
    'TaskScheduled',
    'lambda:invoke',
    'SUCCEEDED',
  ]) {
    expect(detail.html).toContain(text);
  }
  // The execution input, escaped JSON in a <pre>.
  expect(detail.html).toContain(`&quot;applicationId&quot;: &quot;${applicationId}&quot;`);
  // The application's current record, read from the API as staff.
  expect(detail.html).toContain('WITHDRAWN');
  // Every email sent about it, as logged on the record.
  expect(detail.html).toMatch(/Emails sent \(\d+\)/);
  for (const template of ['receipt', 'formal-check-passed', 'formal-review-request', 'target-review-passed'])
    expect(detail.html).toContain(template);
  expect(detail.html).toContain(example('lingnan-forum').title);
  // History rows in order, the first and the last being the execution's start and end.
  const types = [...detail.html.matchAll(/<td class="mono">(\w+)<\/td>/g)].map((m) => m[1]);
  expect(types[0]).toBe('ExecutionStarted');
  expect(types.at(-1)).toBe('ExecutionSucceeded');
});

test('user-provided text is escaped on the executions pages and the mailbox', async () => {
  const body = { ...example('lingnan-forum'), title: '2024岭南论坛<script>alert(1)</script>"\'&' };
  const hostileId = await submit('console-hostile-unit', body);
  await settled(hostileId, 'console-hostile-unit');
  const escaped = '2024岭南论坛&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;';
  for (const route of [
    '/_local/console/executions',
    `/_local/console/executions/${hostileId}`,
    `/_local/console/mailbox?application=${hostileId}`,
  ]) {
    const page = await getPage(route);
    expect(page.status).toBe(200);
    expect(page.html).toContain(escaped);
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toMatch(/<script/i);
  }
  // Newest first: the later submission is listed above the earlier one.
  const list = (await getPage('/_local/console/executions')).html;
  expect(list.indexOf(hostileId)).toBeGreaterThan(0);
  expect(list.indexOf(hostileId)).toBeLessThan(list.indexOf(applicationId));
  // A hostile execution name in the URL is echoed escaped on the 404 page.
  const probe = await getPage(`/_local/console/executions/${encodeURIComponent('<script>alert(1)</script>')}`);
  expect(probe.status).toBe(404);
  expect(probe.html).not.toMatch(/<script/i);
  expect(probe.html).toContain('&lt;script&gt;');
});

test('an unknown execution is a 404 HTML page', async () => {
  for (const route of [
    '/_local/console/executions/no-such-application',
    '/_local/console/executions/a:b',
    '/_local/console/nothing-here',
  ]) {
    const page = await getPage(route);
    expect(page.status).toBe(404);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<!DOCTYPE html>');
  }
});

test('?status= filters the list through the Step Functions API', async () => {
  const failed = await getPage('/_local/console/executions?status=FAILED');
  expect(failed.status).toBe(200);
  expect(failed.html).not.toContain(applicationId);
  expect(failed.html).toContain('No FAILED executions.');
  const succeeded = await getPage('/_local/console/executions?status=succeeded');
  expect(succeeded.html).toContain(applicationId);
  const bad = await getPage('/_local/console/executions?status=BROKEN');
  expect(bad.status).toBe(400);
  expect(bad.type).toBe('text/html; charset=utf-8');
  // Other methods are not served; the rest of /_local/ still works.
  expect((await fetch(`${stack.urls.api}/_local/console`, { method: 'POST' })).status).toBe(405);
  expect((await api.request('GET', '/_local/clock')).status).toBe(200);
});

test('a failed execution shows its error and cause, escaped, in Beijing time (against a stand-in Step Functions API)', async () => {
  const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:m';
  const seen: { action: string; request: Record<string, unknown> }[] = [];
  const route = consoleRoutes({
    stateMachineArn: machine,
    stepFunctions: {
      handleAction: async (action, request) => {
        seen.push({ action, request });
        const execution = {
          executionArn: `${machine.replace(':stateMachine:', ':execution:')}:app-1`,
          name: 'app-1',
          status: 'FAILED',
          startDate: 1_700_000_000,
          stopDate: 1_700_000_001.5,
        };
        switch (action) {
          case 'ListExecutions':
            return { executions: [execution] };
          case 'DescribeExecution':
            if (request.executionArn !== execution.executionArn)
              throw Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' });
            return {
              ...execution,
              input: '{"applicationId":"app-1"}',
              error: 'Lambda.Unknown',
              cause: '<img src=x onerror=alert(1)>',
            };
          case 'GetExecutionHistory':
            return {
              events: [
                {
                  id: 1,
                  previousEventId: 0,
                  timestamp: 1_700_000_000,
                  type: 'ExecutionStarted',
                  executionStartedEventDetails: { input: '{}' },
                },
                {
                  id: 2,
                  previousEventId: 1,
                  timestamp: 1_700_000_000.1,
                  type: 'TaskStateEntered',
                  stateEnteredEventDetails: { name: 'FormalCheck', input: '{}' },
                },
                {
                  id: 3,
                  previousEventId: 2,
                  timestamp: 1_700_000_000.2,
                  type: 'TaskScheduled',
                  taskScheduledEventDetails: {
                    resourceType: 'lambda',
                    resource: 'invoke',
                    parameters: '{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:FormalCheckFn"}',
                  },
                },
                {
                  id: 4,
                  previousEventId: 3,
                  timestamp: 1_700_000_001,
                  type: 'TaskFailed',
                  taskFailedEventDetails: {
                    resourceType: 'lambda',
                    resource: 'invoke',
                    error: 'Lambda.Unknown',
                    cause: '<b>boom</b>',
                  },
                },
                {
                  id: 5,
                  previousEventId: 4,
                  timestamp: 1_700_000_001.5,
                  type: 'ExecutionFailed',
                  executionFailedEventDetails: { error: 'Lambda.Unknown', cause: '<img src=x onerror=alert(1)>' },
                },
              ],
            };
          default:
            throw new Error(`unexpected ${action}`);
        }
      },
    },
  });
  const get = async (path: string) =>
    (await route({ method: 'GET', url: new URL(path, 'http://127.0.0.1'), body: '' }))!;

  expect(await route({ method: 'POST', url: new URL('http://127.0.0.1/_local/token'), body: '{}' })).toBeUndefined();
  expect(await route({ method: 'GET', url: new URL('http://127.0.0.1/_local/consoles'), body: '' })).toBeUndefined();

  const list = await get('/_local/console/executions?status=FAILED');
  expect(seen.at(-1)).toEqual({
    action: 'ListExecutions',
    request: expect.objectContaining({ stateMachineArn: machine, statusFilter: 'FAILED' }),
  });
  expect(list.status).toBe(200);
  expect(list.body).toContain('st-failed');
  expect(list.body).toContain('2023-11-15 06:13:20'); // 2023-11-14T22:13:20Z at UTC+08:00

  const detail = await get('/_local/console/executions/app-1');
  expect(detail.status).toBe(200);
  expect(detail.body).toContain('Lambda.Unknown');
  expect(detail.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(detail.body).toContain('&lt;b&gt;boom&lt;/b&gt;');
  expect(detail.body).not.toMatch(/<img|<b>/);
  expect(detail.body).toContain('function:FormalCheckFn');
  expect(detail.body).toMatch(/<td class="mono">TaskFailed<\/td>\n<td>FormalCheck<\/td>/);
  expect(detail.body).toContain('2023-11-15 06:13:21.500');

  // The application's executions, beside the one shown; no record (no API here), so no word on what it does now.
  const detailHtml = String(detail.body);
  const workflow = detailHtml.slice(detailHtml.indexOf('id="workflow"'), detailHtml.indexOf('<h2>Input</h2>'));
  expect(workflow).toContain('href="/_local/console/executions/app-1"');
  expect(workflow).toContain('首次运行 First run');
  expect(workflow).not.toContain('现在 Now');

  expect((await get('/_local/console/executions/app-2')).status).toBe(404);

  // The console's home counts the executions through the same API; an old application link is sent on.
  const home = await get('/_local/console');
  expect(home.status).toBe(200);
  expect(home.body).toContain('href="/_local/console/executions?status=FAILED">1 失败 failed</a>');
  const moved = await get('/_local/console/applications/app-1');
  expect(moved.status).toBe(302);
  expect(moved.headers).toEqual({ location: '/app/staff/applications/app-1' });
});
