import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '@infra/observability';
import { lambdaContext } from '../support/lambda-context';

/**
 * Business metrics (shared/adapters/metrics.ts) as CloudWatch will read them: the EMF lines Powertools
 * Metrics prints. Printing is on here (POWERTOOLS_METRICS_DISABLED=false) and goes to the global
 * console (POWERTOOLS_DEV=true), where the test reads it; each test loads the modules afresh.
 */

interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

const context = lambdaContext('submit-application');

const event = (body?: string) =>
  ({
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body ?? null,
  }) as unknown as APIGatewayProxyEvent;

const saved = { ...process.env };
let printed: string[];

beforeEach(() => {
  jest.resetModules();
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_DEV = 'true';
  printed = [];
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
  jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void printed.push(`WARN ${String(line)}`));
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

const emfLines = () =>
  printed.filter((line) => line.startsWith('{') && line.includes('"_aws"')).map((line) => JSON.parse(line) as Emf);
const find = (name: string) =>
  emfLines().filter((emf) => emf._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name === name));

test('the adapter writes to the namespace and service the alarms and the dashboard read', async () => {
  const adapter = await import('@shared/adapters/metrics');
  expect(adapter.METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
  expect(adapter.METRICS_SERVICE).toBe(METRICS_SERVICE);
});

test('a refusal the http wrapper maps is counted as Refusals with its code', async () => {
  const { DomainError } = await import('@shared/domain/errors');
  const { httpHandler } = await import('@functions/lib/http');
  const handler = httpHandler(async () => {
    throw new DomainError('CALL_NOT_OPEN', 'The call is closed');
  });
  const answer = (await handler(event('{}'), context)) as APIGatewayProxyResult;
  expect(answer.statusCode).toBe(409);

  const [refusal, ...more] = find('Refusals');
  expect(more).toEqual([]);
  expect(refusal).toMatchObject({ Refusals: 1, Code: 'CALL_NOT_OPEN', service: METRICS_SERVICE });
  expect(refusal._aws.CloudWatchMetrics[0]).toMatchObject({
    Namespace: METRICS_NAMESPACE,
    Metrics: [{ Name: 'Refusals', Unit: 'Count' }],
  });
  expect(refusal._aws.CloudWatchMetrics[0].Dimensions[0].sort()).toEqual(['Code', 'service']);
});

test('malformed JSON, refused before the handler runs, is counted too', async () => {
  const { httpHandler } = await import('@functions/lib/http');
  const handler = httpHandler(async () => ({ body: {} }));
  await handler(event('{not json'), context);
  expect(find('Refusals')[0]).toMatchObject({ Code: 'MALFORMED_JSON' });
});

test("counts without dimensions are published together when the invocation ends, not carrying another metric's dimensions", async () => {
  const { countMetric } = await import('@shared/adapters/metrics');
  const { httpHandler } = await import('@functions/lib/http');
  const handler = httpHandler(async () => {
    countMetric('Submissions');
    countMetric('EmailsSent');
    countMetric('EmailsSent');
    countMetric('StageEntered', 1, { Stage: 'SUBMITTED' });
    expect(find('Submissions')).toEqual([]); // not before the end of the invocation
    return { statusCode: 201, body: {} };
  });
  await handler(event('{}'), context);
  const [together] = find('Submissions');
  expect(together).toMatchObject({ Submissions: 1, EmailsSent: [1, 1], service: METRICS_SERVICE });
  expect(together.Stage).toBeUndefined();
  expect(together._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  expect(find('StageEntered')[0]).toMatchObject({ StageEntered: 1, Stage: 'SUBMITTED' });
});

test('an invocation that counts nothing prints nothing (no EMF, no "no metrics" warning)', async () => {
  const { httpHandler } = await import('@functions/lib/http');
  const handler = httpHandler(async () => ({ body: { ok: true } }));
  await handler(event(), context);
  expect(printed).toEqual([]);
});

test('outside Lambda, unless asked for, metrics are recorded but never printed', async () => {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  const { countMetric, metrics } = await import('@shared/adapters/metrics');
  expect(process.env.POWERTOOLS_METRICS_DISABLED).toBe('true');
  countMetric('Refusals', 1, { Code: 'NOT_FOUND' });
  countMetric('Submissions');
  expect(metrics.hasStoredMetrics()).toBe(true);
  metrics.publishStoredMetrics();
  expect(printed).toEqual([]);
});
