import { logger } from '@shared/adapters/logger';

/**
 * No person's email address in a log line, whatever the line is given: the use cases log none, and
 * the logger masks one that arrives inside a value, such as an SES error's message, which names the
 * addresses it refused (shared/adapters/logger.ts).
 */

/** The lines the logger prints while `run` runs, at every level. */
function linesOf(run: () => void): string[] {
  const lines: string[] = [];
  const capture = (stream: NodeJS.WriteStream) =>
    jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof stream.write);
  const level = logger.getLevelName();
  const spies = [capture(process.stdout), capture(process.stderr)];
  logger.setLogLevel('DEBUG');
  try {
    run();
  } finally {
    logger.setLogLevel(level);
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

test('an address is masked wherever it appears: the message, an attribute, an error and its stack', () => {
  const refused = Object.assign(
    new Error(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: li.xiaolin+forum@personal.example.com, 王@例子.中国',
    ),
    { name: 'MessageRejected' },
  );
  const lines = linesOf(() => {
    logger.error('sweep: a reminder to office@gd-physics.example.org failed; the next sweep retries it', {
      error: refused,
    });
    logger.warn('bounced', {
      to: 'Office@GD-Physics.Example.ORG',
      recipients: ['a@b.example'],
      nested: { cc: ['x_y@sub.domain.example.net'] },
    });
    logger.info('step done', { result: { sent: true } });
  });
  expect(lines).toHaveLength(3);
  const text = lines.join('');
  for (const address of [
    'li.xiaolin+forum@personal.example.com',
    '王@例子.中国',
    'office@gd-physics.example.org',
    'Office@GD-Physics.Example.ORG',
    'a@b.example',
    'x_y@sub.domain.example.net',
  ])
    expect({ address, logged: text.includes(address) }).toEqual({ address, logged: false });
  expect(text).not.toMatch(/@[\p{L}\p{N}-]+\.\p{L}/u);
  // Only the addresses go: what the lines say stays readable.
  const [failed, bounced, done] = lines.map((line) => JSON.parse(line));
  expect(failed.message).toBe('sweep: a reminder to [email] failed; the next sweep retries it');
  expect(failed.error).toMatchObject({
    name: 'MessageRejected',
    message:
      'Email address is not verified. The following identities failed the check in region US-EAST-1: [email], [email]',
  });
  expect(bounced).toMatchObject({ to: '[email]', recipients: ['[email]'], nested: { cc: ['[email]'] } });
  expect(done.result).toEqual({ sent: true });
});

test('what only looks near an address is left alone: package paths, versions, an @ alone', () => {
  const [line] = linesOf(() =>
    logger.info('not addresses', {
      path: '/var/task/node_modules/@aws-sdk/client-ses/dist-cjs/index.js:12:3',
      pkg: 'zod@4.1.12',
      at: 'meet @ 10:00',
    }),
  );
  expect(JSON.parse(line)).toMatchObject({
    path: '/var/task/node_modules/@aws-sdk/client-ses/dist-cjs/index.js:12:3',
    pkg: 'zod@4.1.12',
    at: 'meet @ 10:00',
  });
});

test("a step's thrown error reaches Lambda and Step Functions with its addresses masked and its name kept (Retry and Catch match the name)", async () => {
  const { stepHandler } = await import('@functions/lib/step');
  const z = await import('@shared/domain/zod');
  const handler = stepHandler(z.object({}), async () => {
    throw Object.assign(
      new Error(
        'Email address is not verified. The following identities failed the check: office@gd-physics.example.org',
      ),
      {
        name: 'MessageRejected',
      },
    );
  });
  const context = {
    functionName: 'send-receipt',
    awsRequestId: 'r-1',
    getRemainingTimeInMillis: () => 10_000,
  } as never;
  const thrown = await handler({}, context).then(
    () => undefined,
    (error: Error) => error,
  );
  expect(thrown).toBeInstanceOf(Error);
  expect(thrown!.name).toBe('MessageRejected');
  expect(thrown!.message).toBe('Email address is not verified. The following identities failed the check: [email]');
  expect(thrown!.stack).not.toContain('@gd-physics.example.org');
});
