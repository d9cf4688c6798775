import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { NEVER_REACHED_ON_LAMBDA } from '@infra/bundling';
import { bundleCode, handlerEntries } from '../bench/bundles';

/**
 * Local mode and the other tests run the handlers' TypeScript, not what Lambda runs. This test builds
 * every handler as the stack does (infra/bundling.ts: ES module builds, the credential providers
 * Lambda never reaches left out) and loads each bundle in a fresh Node process, from a folder with no
 * node_modules above it, as Lambda's init does: a bundle that needs a module it left out at load
 * fails here, not on its first cold start.
 */
const run = promisify(execFile);
const LOAD =
  "const m = require(process.argv[1]); if (typeof m.handler !== 'function') throw new Error('no handler export'); process.stdout.write('ok');";
const lambdaEnv = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'ap-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'token',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_SERVICE_NAME: 'funding-call',
};

let dir: string;
const bundles = new Map<string, { file: string; code: string }>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gdast-bundles-'));
  const entries = handlerEntries();
  for (let i = 0; i < entries.length; i += 4) {
    await Promise.all(
      entries.slice(i, i + 4).map(async (entry) => {
        const name = path.basename(entry, '.ts');
        const { code } = await bundleCode(entry, true);
        const file = path.join(dir, `${name}.js`);
        writeFileSync(file, code);
        bundles.set(name, { file, code: Buffer.from(code).toString('utf8') });
      }),
    );
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('every handler in functions/ is bundled', () => {
  expect([...bundles.keys()].sort()).toEqual(
    handlerEntries()
      .map((entry) => path.basename(entry, '.ts'))
      .sort(),
  );
  expect(bundles.size).toBeGreaterThan(30);
});

test.each(handlerEntries().map((entry) => path.basename(entry, '.ts')))(
  '%s loads from its bundle alone',
  async (name) => {
    const bundle = bundles.get(name);
    expect(bundle).toBeDefined();
    const { stdout } = await run(process.execPath, ['-e', LOAD, (bundle as { file: string }).file], {
      cwd: dir,
      env: lambdaEnv,
      timeout: 20_000,
    });
    expect(stdout).toBe('ok');
  },
);

test('with tracing on, as on Lambda, the Tracer and the X-Ray SDK load from the bundle too', async () => {
  const file = bundles.get('submit-application')?.file ?? '';
  const env = {
    ...lambdaEnv,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'submit-application',
    _X_AMZN_TRACE_ID: 'Root=1-00000000-000000000000000000000000;Sampled=1',
  };
  const { stdout } = await run(process.execPath, ['-e', LOAD, file], { cwd: dir, env, timeout: 20_000 });
  expect(stdout).toBe('ok');
  // The X-Ray SDK is in the bundle (it would otherwise be looked for in a node_modules there is none of).
  expect(bundles.get('submit-application')?.code).toContain('AWS_XRAY_DAEMON_ADDRESS');
});

test('the providers Lambda never reaches are left out, and still imported by name (the runtime has them)', () => {
  const code = bundles.get('submit-application')?.code ?? '';
  for (const external of NEVER_REACHED_ON_LAMBDA) expect(code).toContain(`"${external}"`);
  // The environment's provider is what Lambda uses: it is in the bundle.
  expect(code).toContain('AWS_SESSION_TOKEN');
});
