import { useLocalStack } from '../support/e2e';

/** Local mode writes one access log line per request, with the request id the handler's logs carry too. */
const lines: string[] = [];
const stack = useLocalStack({ accessLog: (line) => lines.push(line) });
const { api } = stack;

test('one line per request: method, path, status, time, caller and request id (the answer carries the same id)', async () => {
  const token = await api.unitToken('gd-physics-society');
  const answer = await api.request('GET', '/units/me/applications', { token });
  expect(answer.status).toBe(200);
  const requestId = answer.headers.get('x-request-id');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const line = lines.find((l) => l.includes(`request=${requestId}`));
  expect(line).toMatch(
    new RegExp(`^GET /units/me/applications 200 \\d+\\.\\dms caller=unit:gd-physics-society request=${requestId}$`),
  );
  // A refused request is logged too, without a caller; a task link's signature is not written down.
  await api.request('GET', '/units/me/applications');
  expect(lines.at(-1)).toMatch(/^GET \/units\/me\/applications 401 .* caller=- /);
  await api.request('GET', '/tasks/abc?sig=secret-signature');
  expect(lines.at(-1)).toContain('/tasks/abc?sig=…');
  expect(lines.join('\n')).not.toContain('secret-signature');
});
