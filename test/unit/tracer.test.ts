import middy from '@middy/core';

/**
 * shared/adapters/tracer.ts: Powertools Tracer on Lambda only. The real Tracer is never loaded here:
 * the X-Ray SDK it loads enables a process-wide async hook that would slow every later test file of
 * this jest worker. On Lambda, the test stands a recording fake in for it.
 */

const saved = { ...process.env };

beforeEach(() => {
  jest.resetModules();
  delete process.env.AWS_EXECUTION_ENV;
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  delete process.env.AWS_SAM_LOCAL;
});

afterEach(() => {
  jest.dontMock('@aws-lambda-powertools/tracer');
  jest.dontMock('@aws-lambda-powertools/tracer/middleware');
  process.env = { ...saved };
});

/** A recording stand-in for Powertools Tracer and its middleware. */
function fakeTracer() {
  const made: unknown[] = [];
  const captured: unknown[] = [];
  const handlerOptions: unknown[] = [];
  class Tracer {
    constructor(options: unknown) {
      made.push(options);
    }
    captureAWSv3Client<C>(client: C): C {
      captured.push(client);
      return client;
    }
  }
  jest.doMock('@aws-lambda-powertools/tracer', () => ({ Tracer }));
  jest.doMock('@aws-lambda-powertools/tracer/middleware', () => ({
    captureLambdaHandler: (tracer: unknown, options: unknown) => {
      handlerOptions.push({ tracer, options });
      return { before: () => undefined, after: () => undefined, onError: () => undefined };
    },
  }));
  return { made, captured, handlerOptions };
}

const answer = (use: middy.MiddlewareObj) => middy(async () => 'answered').use(use)({}, {} as never);

test('outside Lambda there is no tracer: clients are handed back as they are, and the middleware does nothing', async () => {
  const { tracer, traced, traceHandler } = await import('@shared/adapters/tracer');
  expect(tracer).toBeUndefined();
  const client = { send: () => undefined };
  expect(traced(client)).toBe(client);
  await expect(answer(traceHandler())).resolves.toBe('answered');
});

test('on Lambda with POWERTOOLS_TRACE_ENABLED=false there is none either', async () => {
  const fake = fakeTracer();
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  const { tracer } = await import('@shared/adapters/tracer');
  expect(tracer).toBeUndefined();
  expect(fake.made).toEqual([]);
});

test('on Lambda every SDK client is captured, and the handler is traced without its response', async () => {
  const fake = fakeTracer();
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
  const { tracer, traceHandler } = await import('@shared/adapters/tracer');
  expect(fake.made).toEqual([{ serviceName: 'funding-call', captureHTTPsRequests: false }]);

  const clients = await import('@shared/adapters/aws-clients');
  clients.dynamo();
  clients.ses();
  clients.sfn();
  clients.secrets();
  clients.s3();
  // The DynamoDB client under the document client (they share one middleware stack).
  expect(fake.captured.map((client) => (client as object).constructor.name)).toEqual([
    'DynamoDBClient',
    'SESClient',
    'SFNClient',
    'SecretsManagerClient',
    'S3Client',
  ]);
  clients.dynamo();
  expect(fake.captured).toHaveLength(5); // made once, reused
  clients.resetClients();

  await expect(answer(traceHandler())).resolves.toBe('answered');
  expect(fake.handlerOptions).toEqual([{ tracer, options: { captureResponse: false } }]);
});
