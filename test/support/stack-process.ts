/**
 * The local stack in a process of its own, as `npm start` runs it, for tests that kill it the hard
 * way (SIGKILL) and start it again on the same data: started by test/support/child-stack.ts with
 * `node --import tsx`, so that the process the test kills is the one running the stack (tsx's own
 * command line would run it in a child of its own). Its options come in the STACK_PROCESS
 * environment variable ({dataDir, ports}); once it serves, it prints one line, `STACK_READY {urls,
 * stateMachineArn}`. SIGTERM stops it cleanly.
 */
import '@infra/local/polyfills';
import * as path from 'node:path';
import { READY_PREFIX, type StackProcessOptions } from './child-stack';
import { withCachedSynth } from './synth-cache';

// The CDK synthesis from the cache the e2e files share (see synth-cache.ts): a restart of the same
// sources need not synthesize again. The stack's module is loaded only afterwards, so that its
// `require('./synth')` finds the cached one.
const SYNTH = path.resolve(__dirname, '../../infra/local/synth.ts');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module replaced in require's cache, before its user loads
require(SYNTH);
const synthModule = require.cache[SYNTH];
if (!synthModule) throw new Error(`${SYNTH} is not in require's cache: the stack would synthesize on every start`);
synthModule.exports = withCachedSynth(synthModule.exports as typeof import('@infra/local/synth'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the line above, on purpose
const { startLocalStack } = require('@infra/local/local-stack') as typeof import('@infra/local/local-stack');

async function main(): Promise<void> {
  const options = JSON.parse(process.env.STACK_PROCESS ?? '{}') as StackProcessOptions;
  const stack = await startLocalStack({
    dataDir: options.dataDir,
    ports: options.ports,
    log: (message) => console.error(`[stack] ${message}`),
  });
  process.stdout.write(
    `${READY_PREFIX}${JSON.stringify({ urls: stack.urls, stateMachineArn: stack.stateMachineArn })}\n`,
  );
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().finally(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
