import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DomainError } from '@shared/domain/errors';
import { corsHeaders, httpHandler } from '@functions/lib/http';

/**
 * The handlers' CORS headers (functions/lib/http.ts): the origins of ALLOWED_ORIGINS, which the stack
 * sets on every API function from its AllowedOrigins parameter (test/infra/security.test.ts).
 */

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
const event = (headers: Record<string, string>): APIGatewayProxyEvent =>
  ({
    httpMethod: 'GET',
    headers,
    pathParameters: null,
    queryStringParameters: null,
    body: null,
    requestContext: {},
  }) as unknown as APIGatewayProxyEvent;

const saved = process.env.ALLOWED_ORIGINS;
afterEach(() => {
  if (saved === undefined) delete process.env.ALLOWED_ORIGINS;
  else process.env.ALLOWED_ORIGINS = saved;
});

test('an allowed origin is echoed, with Vary: Origin', () => {
  process.env.ALLOWED_ORIGINS = 'https://apply.example.org,http://localhost:3000';
  expect(corsHeaders('http://localhost:3000')).toEqual({
    'access-control-allow-origin': 'http://localhost:3000',
    'access-control-expose-headers': 'Retry-After, Content-Disposition, Location',
    vary: 'Origin',
  });
});

test('another origin, or none, gets no Access-Control-Allow-Origin (but still Vary: Origin)', () => {
  process.env.ALLOWED_ORIGINS = 'https://apply.example.org';
  for (const origin of ['https://evil.example', 'https://apply.example.org.evil.example', 'null', '*', undefined]) {
    expect({ origin, headers: corsHeaders(origin) }).toEqual({ origin, headers: { vary: 'Origin' } });
  }
});

test('without ALLOWED_ORIGINS (local mode: one origin) no CORS header at all', () => {
  delete process.env.ALLOWED_ORIGINS;
  expect(corsHeaders('http://localhost:3000')).toEqual({});
});

test('every answer of an API handler carries them: a success and a refusal alike', async () => {
  process.env.ALLOWED_ORIGINS = 'https://apply.example.org';
  const ok = httpHandler(async () => ({ body: { fine: true } }));
  const refused = httpHandler(async () => {
    throw new DomainError('NOT_FOUND', 'No such thing');
  });
  for (const handler of [ok, refused]) {
    const answer = (await handler(event({ Origin: 'https://apply.example.org' }), context)) as APIGatewayProxyResult;
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': 'https://apply.example.org',
      vary: 'Origin',
    });
    const other = (await handler(event({ origin: 'https://evil.example' }), context)) as APIGatewayProxyResult;
    expect(other.headers?.['access-control-allow-origin']).toBeUndefined();
  }
  const answer = (await refused(event({ origin: 'https://apply.example.org' }), context)) as APIGatewayProxyResult;
  expect(answer.statusCode).toBe(404);
});
