import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { eventually } from '../support/local';

/**
 * A local stack that dies hard (out of memory, SIGKILL) runs no exit handler; its DynamoDB Local
 * (Java) must not live on, holding its port and memory, so that the next `npm start` can start.
 */
const ROOT = path.resolve(__dirname, '../..');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('DynamoDB Local stops within seconds when the process that started it is killed', async () => {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['test/support/crashing-dynamo.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // tsx runs the script in a child of its own: the script's SIGKILL shows here as a failed exit.
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  expect(exit.code === 0 && exit.signal === null).toBe(false);
  const { pid } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { pid?: number };
  expect(pid).toEqual(expect.any(Number));
  await eventually(
    async () => (alive(pid as number) ? undefined : true),
    10_000,
    `DynamoDB Local (pid ${pid}) to stop`,
  );
}, 60_000);
