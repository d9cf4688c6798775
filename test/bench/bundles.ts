import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build, version, type BuildOptions, type Metafile } from 'esbuild';
import { BUNDLE_ALIASES, BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '@infra/bundling';
import { median, round } from './stats';

export const esbuildVersion = version;
export const ROOT = path.resolve(__dirname, '../..');

/**
 * esbuild options as aws-cdk-lib's NodejsFunction passes them for this stack (infra/stack.ts):
 * node22, CJS, minified, the project tsconfig, and the pinned SDK bundled in (`externalModules: []`).
 * The variant with `@aws-sdk/*` external shows what relying on the runtime's SDK would save.
 * (CDK also writes a source map next to the bundle; it is not counted here: Lambda does not load it.)
 */
const cdkOptions = (entry: string, bundleSdk: boolean): BuildOptions & { write: false; metafile: true } => ({
  absWorkingDir: ROOT,
  entryPoints: [entry],
  // Only names the output: nothing is written.
  outfile: path.join(tmpdir(), 'gdast-bench', path.basename(entry, '.ts'), 'index.js'),
  bundle: true,
  platform: 'node',
  target: BUNDLE_TARGET,
  format: 'cjs',
  minify: true,
  mainFields: BUNDLE_MAIN_FIELDS,
  tsconfig: path.join(ROOT, 'tsconfig.json'),
  external: bundleSdk ? BUNDLE_EXTERNALS : ['@aws-sdk/*', '@smithy/*', ...BUNDLE_EXTERNALS],
  alias: BUNDLE_ALIASES,
  write: false,
  metafile: true,
  logLevel: 'silent',
});

export interface BundleSize {
  name: string;
  /** the deployed bundle (the pinned SDK inside), bytes */
  bytes: number;
  /** the same handler with @aws-sdk/* left to the Lambda runtime, bytes */
  bytesSdkExternal: number;
  topInputs: { source: string; bytes: number }[];
}

/** Which package (or project folder) a metafile input path belongs to. */
function sourceOf(inputPath: string): string {
  const marker = inputPath.lastIndexOf('node_modules/');
  if (marker < 0) return `(project) ${inputPath.split('/')[0]}/`;
  const rest = inputPath.slice(marker + 'node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

function contributors(metafile: Metafile): { source: string; bytes: number }[] {
  const bySource = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = sourceOf(input);
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
    }
  }
  return [...bySource.entries()].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export function handlerEntries(): string[] {
  return readdirSync(path.join(ROOT, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join('functions', entry.name))
    .sort();
}

export async function bundleCode(entry: string, bundleSdk: boolean): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build(cdkOptions(entry, bundleSdk));
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (!js) throw new Error(`esbuild produced no .js for ${entry}`);
  return { code: js.contents, metafile: result.metafile };
}

export async function bundleSizes(): Promise<BundleSize[]> {
  // Two at a time: the machine has two cores and esbuild is already parallel inside one build.
  const entries = handlerEntries();
  const sizes: BundleSize[] = [];
  for (const entry of entries) {
    const [deployed, sdkExternal] = await Promise.all([bundleCode(entry, true), bundleCode(entry, false)]);
    sizes.push({
      name: path.basename(entry, '.ts'),
      bytes: deployed.code.byteLength,
      bytesSdkExternal: sdkExternal.code.byteLength,
      topInputs: contributors(deployed.metafile).slice(0, 5),
    });
  }
  return sizes;
}

export interface ColdImport {
  handler: string;
  variant: string;
  runs: number;
  /** time spent in require() of the bundle, as Lambda's init phase does it, ms */
  requireMs: number[];
  /** whole child process, spawn to exit (node boot included), ms */
  processMs: number[];
  requireMedianMs: number;
  processMedianMs: number;
}

/** What the child prints: the require's time in ms (and whatever else a script adds after it). */
const COLD_SCRIPT = [
  "const { performance } = require('node:perf_hooks');",
  'const started = performance.now();',
  'const loaded = require(process.env.BENCH_BUNDLE);',
  'const took = performance.now() - started;',
  "if (typeof loaded.handler !== 'function') throw new Error('no handler export');",
  'process.stdout.write(String(took));',
].join('\n');

export interface ColdSample {
  requireMs: number;
  processMs: number;
  /** the script's further figures, printed after the require's time */
  more: number[];
}

/** One fresh node that runs `script` (by default: require the bundle, print how long it took). */
export function runCold(
  file: string,
  nodePath: string | undefined,
  onLambda: boolean,
  script = COLD_SCRIPT,
  extraEnv: Record<string, string> = {},
): Promise<ColdSample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', script], {
      cwd: path.dirname(file),
      env: {
        PATH: process.env.PATH ?? '',
        ...(nodePath ? { NODE_PATH: nodePath } : {}),
        BENCH_BUNDLE: file,
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_SERVICE_NAME: 'funding-call',
        TABLE_NAME: 'funding-call',
        STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
        SENDER_EMAIL: 'noreply@bench.local',
        SES_CONFIGURATION_SET: 'funding-call-bench',
        PUBLIC_BASE_URL: 'http://127.0.0.1:1/',
        TASK_LINK_SECRET: 'bench-secret',
        // What Lambda's runtime sets: with it, the Powertools Tracer (and the X-Ray SDK) load at init, as they do on AWS.
        ...(onLambda
          ? {
              AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
              AWS_LAMBDA_FUNCTION_NAME: 'submit-application',
              _X_AMZN_TRACE_ID: 'Root=1-00000000-000000000000000000000000;Sampled=1',
            }
          : {}),
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const processMs = performance.now() - started;
      const [requireMs, ...more] = out.trim().split(/\s+/).map(Number);
      if (code !== 0 || !Number.isFinite(requireMs))
        reject(new Error(`cold import of ${file} exited ${code}: ${err.slice(-1500)}`));
      else resolve({ requireMs, processMs, more });
    });
  });
}

/**
 * Cold import of one handler as Lambda's init does it: a fresh node process require()s the bundle.
 * Three variants: the deployed bundle as local mode loads it (no tracing), the same bundle as Lambda
 * loads it (AWS_EXECUTION_ENV set: the Tracer and X-Ray SDK load too), and a bundle that leaves
 * @aws-sdk/* and @smithy/* to the runtime's SDK, found through NODE_PATH as Lambda's runtime finds
 * the SDK it ships (here: the project's node_modules).
 */
export async function coldImports(handler: string, runs: number): Promise<ColdImport[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdast-bench-'));
  try {
    const results: ColdImport[] = [];
    for (const [variant, bundleSdk, onLambda] of [
      ['deployed bundle, as local mode loads it', true, false],
      ['deployed bundle, as Lambda loads it (Tracer on)', true, true],
      ['@aws-sdk from the runtime, as Lambda loads it', false, true],
    ] as const) {
      const { code } = await bundleCode(path.join('functions', `${handler}.ts`), bundleSdk);
      const file = path.join(dir, `${handler}${bundleSdk ? '-with-sdk' : ''}.js`);
      writeFileSync(file, code);
      const nodePath = bundleSdk ? undefined : path.join(ROOT, 'node_modules');
      await runCold(file, nodePath, onLambda); // warm the OS file cache once; not counted
      const samples: ColdSample[] = [];
      for (let i = 0; i < runs; i++) samples.push(await runCold(file, nodePath, onLambda));
      const requireMs = samples.map((s) => round(s.requireMs));
      const processMs = samples.map((s) => round(s.processMs));
      results.push({
        handler,
        variant,
        runs,
        requireMs,
        processMs,
        requireMedianMs: round(median(requireMs)),
        processMedianMs: round(median(processMs)),
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
