/**
 * The bench:call driver takes a call-level request's answer as it comes: the result itself (201 or
 * 200), or a job (202 with `Location: /jobs/{jobId}`, polled until DONE; FAILED throws). A small
 * HTTP server on 127.0.0.1 stands in for the API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api } from '../support/local';
import { callLevel } from '../bench/call/jobs';

let server: Server;
let api: Api;
let polls = 0;
let finalState = 'DONE';
let slowPosts = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && req.url === '/calls/c/award-proposal')
      return send(202, { jobId: 'j1', state: 'RUNNING', done: 0, total: 2 }, { location: '/jobs/j1' });
    if (req.method === 'POST' && req.url === '/calls/c/expert-assignments')
      return send(201, { summary: { applications: 3 } });
    if (req.method === 'POST' && req.url === '/calls/c/slow-round')
      return ++slowPosts === 1 ? send(502, { error: { code: 'BAD_GATEWAY' } }) : send(200, { summary: {} });
    if (req.method === 'GET' && req.url === '/jobs/j1') {
      polls++;
      return polls < 3
        ? send(200, { jobId: 'j1', state: 'RUNNING', done: polls - 1, total: 2 })
        : send(200, { jobId: 'j1', state: finalState, done: 2, total: 2 });
    }
    send(404, { error: { code: 'NOT_FOUND' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = new Api(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  polls = 0;
  finalState = 'DONE';
});

const quiet = () => undefined;
const fast = { retryAfterMs: 10, pollEveryMs: 10 };

test('an old answer (201) is taken as it is', async () => {
  const answered = await callLevel(api, 'token', '/calls/c/expert-assignments', [201, 200], quiet, 5_000);
  expect(answered.answer.status).toBe(201);
  expect(answered.job).toBeUndefined();
});

test('a 202 job is followed through its Location until DONE', async () => {
  const answered = await callLevel(api, 'token', '/calls/c/award-proposal', [201], quiet, 5_000, fast);
  expect(answered.answer.status).toBe(202);
  expect(answered.job).toMatchObject({ jobId: 'j1', state: 'DONE', done: 2, total: 2, polls: 3 });
});

test('a job that ends FAILED fails the stage', async () => {
  finalState = 'FAILED';
  await expect(callLevel(api, 'token', '/calls/c/award-proposal', [201], quiet, 5_000, fast)).rejects.toThrow(/FAILED/);
});

test('an answer neither accepted nor a job fails the stage, naming it', async () => {
  await expect(callLevel(api, 'token', '/calls/c/nothing-here', [201], quiet, 5_000, fast)).rejects.toThrow(/404/);
});

test('a gateway error (the request outran the API) is asked again, and recorded', async () => {
  const answered = await callLevel(api, 'token', '/calls/c/slow-round', [201, 200], quiet, 5_000, fast);
  expect(answered.answer.status).toBe(200);
  expect(answered.failures).toEqual([expect.objectContaining({ status: 502, code: 'BAD_GATEWAY' })]);
});
