import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { useLocalStack } from '../support/e2e';

/**
 * The README's walk-through, run as written (bash, curl, node): only its three URLs are pointed at
 * this test's own stack. If a step of the README stops working, this fails with the step's output.
 */
// The sweep every 5 s, as `npm start` runs it: the walk-through follows the award proposal's job.
const stack = useLocalStack({ sweepEveryMs: 5000 });
const ROOT = path.resolve(__dirname, '../..');

function walkThrough(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Walk-through'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('The README has no walk-through block');
  return block;
}

test('the README walk-through runs as written, from submission to the award and the first report', async () => {
  const script = walkThrough()
    .replace(/^API=\S+/m, `API=${stack.urls.api}`)
    .replace(/^MAIL=\S+/m, `MAIL=${stack.urls.email}`)
    .replace(/^SFN=\S+/m, `SFN=${stack.urls.stepfunctions}`);
  expect(script).toContain(stack.urls.api);
  // Asynchronously: the stack answering the script runs in this very process.
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, timeout: 180_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`The walk-through stopped (exit ${run.status}):\n${output}`);
  // What a person following it would see, step by step.
  expect(run.stdout).toContain('gdast-2024 gdast-2025');
  expect(run.stdout).toMatch(/application [0-9a-f-]{36}/);
  expect(run.stdout).toContain('formal-review OPEN');
  expect(run.stdout).toMatch(/"applications":1/);
  expect(run.stdout).toContain('2023-11-01T09:00');
  expect(run.stdout).toMatch(/^DONE (\d+)\/\1$/m); // the proposal's job, every step done
  expect(run.stdout).toContain('AWARDED 100000');
  expect(run.stdout).toContain('2024-10-26'); // the statistics are due a week after the forum's end
  expect(run.stdout).toMatch(/^200$/m); // the presigned upload
  expect(run.stdout).toMatch(/^SUBMITTED$/m); // the report
  expect(run.stdout).toMatch(/ RUNNING|SUCCEEDED/);
}, 240_000);
