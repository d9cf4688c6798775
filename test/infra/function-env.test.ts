import * as path from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_ALIASES, BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '@infra/bundling';
import { functionSpecs, type AnyFunctionName } from '@infra/functions';
import { FundingCallStack } from '@infra/stack';

/**
 * "Works locally, fails on AWS": local mode sets every environment variable for every handler, so
 * the end-to-end tests cannot see a Lambda that lacks a variable (or the permission behind it).
 * This test bundles each handler as Lambda gets it and checks, against the synthesized stack, that
 * every variable its code reads with `readEnv([...])` is set on its Lambda, and that its role allows
 * every AWS call its code makes.
 *
 * It reads the bundle esbuild produced, not the whole source of every file the handler imports:
 * code that tree-shaking dropped never runs, and counting it would demand, for instance, that the
 * read-only get-application may send email and answer workflow tasks because it shares
 * shared/applications.ts with the handlers that do.
 */

const ROOT = path.resolve(__dirname, '../..');

/** What a variable implies about the function's role. */
type Target = 'table' | 'stateMachine' | 'secret' | 'bucket';
const envPolicy: Record<string, { actions: string[]; on?: Target; any?: boolean }> = {
  TABLE_NAME: { actions: ['dynamodb:*'], on: 'table', any: true },
  STATE_MACHINE_ARN: { actions: ['states:StartExecution'], on: 'stateMachine' },
  SENDER_EMAIL: { actions: ['ses:SendEmail'] },
  SES_CONFIGURATION_SET: { actions: ['ses:SendEmail'] },
  SES_SEND_RATE: { actions: ['ses:SendEmail'] },
  PUBLIC_BASE_URL: { actions: [] },
  // The web app's address, linked from the units' emails: set with SENDER_EMAIL.
  WEB_APP_URL: { actions: ['ses:SendEmail'] },
  // The browser origins the API answers (functions/lib/http.ts reads it from process.env: it is optional there).
  ALLOWED_ORIGINS: { actions: [] },
  LINK_KEY_SECRET_ARN: { actions: ['secretsmanager:GetSecretValue'], on: 'secret' },
  // Reading or (request-upload, which only presigns uploads) putting objects.
  FILES_BUCKET: { actions: ['s3:GetObject', 's3:PutObject'], on: 'bucket', any: true },
  // The sweep's worker, invoked once per shard by the scheduled sweep.
  SWEEP_SHARD_FUNCTION: { actions: ['lambda:InvokeFunction'] },
};

/** What an SDK command in the handler's own code needs (lib-dynamodb document commands included). */
const commandPolicy: Record<string, { actions: string[]; on?: Target }> = {
  GetCommand: { actions: ['dynamodb:GetItem'], on: 'table' },
  BatchGetCommand: { actions: ['dynamodb:BatchGetItem'], on: 'table' },
  TransactGetCommand: { actions: ['dynamodb:GetItem'], on: 'table' },
  QueryCommand: { actions: ['dynamodb:Query'], on: 'table' },
  ScanCommand: { actions: ['dynamodb:Scan'], on: 'table' },
  PutCommand: { actions: ['dynamodb:PutItem'], on: 'table' },
  UpdateCommand: { actions: ['dynamodb:UpdateItem'], on: 'table' },
  DeleteCommand: { actions: ['dynamodb:DeleteItem'], on: 'table' },
  BatchWriteCommand: { actions: ['dynamodb:BatchWriteItem'], on: 'table' },
  // Authorised item by item (there is no dynamodb:TransactWriteItems action): see transactItemPolicy.
  TransactWriteCommand: { actions: [], on: 'table' },
  SendEmailCommand: { actions: ['ses:SendEmail'] },
  SendRawEmailCommand: { actions: ['ses:SendRawEmail'] },
  StartExecutionCommand: { actions: ['states:StartExecution'], on: 'stateMachine' },
  SendTaskSuccessCommand: { actions: ['states:SendTaskSuccess'], on: 'stateMachine' },
  SendTaskFailureCommand: { actions: ['states:SendTaskFailure'], on: 'stateMachine' },
  SendTaskHeartbeatCommand: { actions: ['states:SendTaskHeartbeat'], on: 'stateMachine' },
  DescribeExecutionCommand: { actions: ['states:DescribeExecution'], on: 'stateMachine' },
  GetSecretValueCommand: { actions: ['secretsmanager:GetSecretValue'], on: 'secret' },
  // A presigned URL acts with the signer's role: presigning a PUT or GET needs what the URL does.
  PutObjectCommand: { actions: ['s3:PutObject'], on: 'bucket' },
  GetObjectCommand: { actions: ['s3:GetObject'], on: 'bucket' },
  // Without ListBucket a missing key is a 403, not a 404 (shared/adapters/files.ts headUpload).
  HeadObjectCommand: { actions: ['s3:GetObject', 's3:ListBucket'], on: 'bucket' },
  CopyObjectCommand: { actions: ['s3:GetObject', 's3:PutObject'], on: 'bucket' },
  DeleteObjectCommand: { actions: ['s3:DeleteObject'], on: 'bucket' },
  InvokeCommand: { actions: ['lambda:InvokeFunction'] },
};

/**
 * DynamoDB authorises each item of a TransactWriteItems as the single-item call it performs. The
 * kinds of item a bundle's transactions hold are read from its project code: `{ Put: … }`,
 * `{ Update: … }`, `{ Delete: … }`, `{ ConditionCheck: … }` (a transaction item has exactly one key).
 */
const transactItemPolicy: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

interface HandlerCode {
  /** Each variable read, with the project file that reads it. */
  env: Map<string, string>;
  /** Each SDK command constructed in project code, with the file. */
  commands: Map<string, string>;
  /** Each kind of transaction item (Put, Update, Delete, ConditionCheck) in project code, with the file. */
  transactItems: Map<string, string>;
  /** Things this test could not read: reported as failures rather than silently skipped. */
  unreadable: string[];
}

const isProjectFile = (file: string) =>
  !file.startsWith('node_modules/') && !file.includes('/node_modules/') && !file.startsWith('(');

/**
 * Splits an unminified esbuild bundle into the code each input contributed. esbuild heads every
 * input's code with a `// <path>` line (an input may appear in several pieces).
 */
function codeByInput(text: string, metafile: Metafile): Map<string, string> {
  const inputs = new Set(Object.keys(metafile.inputs));
  const heads = [...text.matchAll(/^\/\/ (.+)$/gm)].filter((m) => inputs.has(m[1]));
  const code = new Map<string, string>();
  heads.forEach((head, i) => {
    const end = i + 1 < heads.length ? heads[i + 1].index : text.length;
    code.set(head[1], (code.get(head[1]) ?? '') + text.slice(head.index, end));
  });
  return code;
}

/** Bundles every handler in one esbuild run (nothing is written), and reads what each bundle does. */
async function readHandlers(names: AnyFunctionName[]): Promise<Map<AnyFunctionName, HandlerCode>> {
  const result = await build({
    entryPoints: Object.fromEntries(names.map((name) => [name, `functions/${name}.ts`])),
    outdir: 'bundles', // in memory only: write is false
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    mainFields: BUNDLE_MAIN_FIELDS,
    external: BUNDLE_EXTERNALS,
    alias: BUNDLE_ALIASES,
    write: false,
    metafile: true,
    tsconfig: 'tsconfig.json',
    logLevel: 'silent',
  });
  return new Map(
    names.map((name) => {
      const [outPath, output] =
        Object.entries(result.metafile.outputs).find(([, out]) => out.entryPoint === `functions/${name}.ts`) ?? [];
      const file = result.outputFiles.find((out) => out.path === path.join(ROOT, outPath ?? '?'));
      if (!output || !file)
        return [
          name,
          {
            env: new Map(),
            commands: new Map(),
            transactItems: new Map(),
            unreadable: [`${name}: esbuild made no bundle for functions/${name}.ts`],
          },
        ];
      return [name, readBundle(name, file.text, output, result.metafile)];
    }),
  );
}

function readBundle(
  name: AnyFunctionName,
  text: string,
  output: Metafile['outputs'][string],
  metafile: Metafile,
): HandlerCode {
  const code = codeByInput(text, metafile);
  const found: HandlerCode = { env: new Map(), commands: new Map(), transactItems: new Map(), unreadable: [] };
  const used = Object.entries(output.inputs).filter(
    ([file, input]) => isProjectFile(file) && input.bytesInOutput > 0 && !file.endsWith('.json'),
  );
  for (const [file] of used) {
    const source = code.get(file);
    if (source === undefined) {
      found.unreadable.push(
        `${name}: the bundle has code from ${file}, but this test could not find it (has esbuild's output format changed?)`,
      );
      continue;
    }
    // Every readEnv call, however esbuild spelled the reference: readEnv([...]), readEnv2([...]), (0, import_env.readEnv)([...]).
    for (const call of source.matchAll(/(\bfunction\s+)?\breadEnv\d*\)?\s*\(\s*(\[[^\]]*\])?/g)) {
      if (call[1]) continue; // its definition
      const items = call[2]
        ?.slice(1, -1)
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      const variables = items?.map((item) => /^["'`]([A-Za-z0-9_]+)["'`]$/.exec(item)?.[1]);
      if (!variables || variables.some((variable) => variable === undefined)) {
        found.unreadable.push(
          `${name}: ${file} calls readEnv with something other than a list of string literals: ${call[0]}`,
        );
        continue;
      }
      for (const variable of variables as string[]) if (!found.env.has(variable)) found.env.set(variable, file);
    }
    // A product variable read past readEnv counts too (process.env.TABLE_NAME, process.env["TABLE_NAME"]).
    for (const [, dotted, quoted] of source.matchAll(
      /\bprocess\.env(?:\.([A-Za-z0-9_]+)|\[\s*["'`]([A-Za-z0-9_]+)["'`]\s*\])/g,
    )) {
      const variable = dotted ?? quoted;
      if (variable in envPolicy && !found.env.has(variable)) found.env.set(variable, file);
    }
    // esbuild numbers a name it had to rename when hoisting ES modules together (QueryCommand2).
    for (const [, command] of source.matchAll(/\b([A-Z][A-Za-z0-9]*?Command)\d*\s*\(/g)) {
      if (!found.commands.has(command)) found.commands.set(command, file);
    }
    for (const [, kind] of source.matchAll(/\{\s*(Put|Update|Delete|ConditionCheck)\s*:/g)) {
      if (!found.transactItems.has(kind)) found.transactItems.set(kind, file);
    }
  }
  if (found.commands.has('TransactWriteCommand') && found.transactItems.size === 0) {
    found.unreadable.push(
      `${name}: it sends a TransactWriteCommand, but this test found no transaction item ({ Put: … }, { Update: … }, …) in its code`,
    );
  }
  return found;
}

// One synthesis for the file (CDK's bundling skipped: only asset hashes change); the handlers are bundled in beforeAll.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FundingCallStack(app, 'FundingCall', {
  senderEmail: 'x@example.org',
  alarmEmail: 'alarms@example.org',
});
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
const resources = (Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> }).Resources;
const idOfType = (type: string) => {
  const ids = Object.keys(resources).filter((id) => resources[id].Type === type);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
};
const targets: Record<Target, string> = {
  table: idOfType('AWS::DynamoDB::Table'),
  stateMachine: idOfType('AWS::StepFunctions::StateMachine'),
  secret: idOfType('AWS::SecretsManager::Secret'),
  // The report files bucket (its access log bucket is the other one).
  bucket: stack.getLogicalId(
    stack.node.findAll().find((c) => c.node.path === 'FundingCall/ReportFiles/Bucket/Resource') as CfnElement,
  ),
};
// The machine's own steps are granted by the ARN its fixed name makes (a reference would be circular).
const machineName = String(
  (resources[targets.stateMachine].Properties as { StateMachineName?: string }).StateMachineName,
);
const namesTarget = (resource: string, on: Target) =>
  resource.includes(`"${targets[on]}"`) ||
  (on === 'stateMachine' &&
    (resource.includes(`:stateMachine:${machineName}"`) || resource.includes(`:execution:${machineName}:`)));

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOf(roleId: string): Statement[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
}

const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

function allows(statements: Statement[], action: string, on?: Target): boolean {
  return statements.some((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    const actionOk = actions.some((a) => matches(a, action) || matches(action, a));
    return actionOk && (!on || namesTarget(JSON.stringify(s.Resource), on));
  });
}

const code = new Map<AnyFunctionName, HandlerCode>();
beforeAll(async () => {
  for (const [name, found] of await readHandlers(functionSpecs.map((spec) => spec.name))) code.set(name, found);
});

describe.each(functionSpecs.map((spec) => spec.name))('%s on AWS', (name) => {
  const lambda = () => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`${name}: the stack made no Lambda for it`);
    return resources[stack.getLogicalId(fn.node.defaultChild as CfnElement)];
  };

  test('this test can read its bundle', () => {
    expect(code.get(name)?.unreadable).toEqual([]);
  });

  test('has every environment variable its code reads', () => {
    const variables = ((lambda().Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const missing = [...(code.get(name)?.env ?? [])]
      .filter(([variable]) => !(variable in variables))
      .map(
        ([variable, file]) =>
          `${name} reads ${variable} (in ${file}) but its Lambda has no ${variable}: add the need that sets it to ${name} in infra/functions.ts`,
      );
    expect(missing).toEqual([]);
  });

  test('its role allows what those variables and its AWS calls imply', () => {
    const role = (lambda().Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = statementsOf(role);
    const found = code.get(name) as HandlerCode;
    const problems: string[] = [];
    for (const [variable, file] of found.env) {
      const implied = envPolicy[variable];
      if (!implied) {
        problems.push(
          `${name} reads ${variable} (in ${file}), which this test does not know: say in envPolicy what it implies`,
        );
        continue;
      }
      const ok = implied.any
        ? implied.actions.some((a) => allows(statements, a, implied.on))
        : implied.actions.every((a) => allows(statements, a, implied.on));
      if (!ok)
        problems.push(
          `${name} reads ${variable} (in ${file}) but its role lacks ${implied.actions.join(implied.any ? ' or ' : ' and ')}${implied.on ? ` on the ${implied.on}` : ''}`,
        );
    }
    if (found.commands.has('TransactWriteCommand')) {
      for (const [kind, file] of found.transactItems) {
        if (!allows(statements, transactItemPolicy[kind], 'table'))
          problems.push(
            `${name} writes a transaction item ${kind} (in ${file}) but its role lacks ${transactItemPolicy[kind]} on the table`,
          );
      }
    }
    for (const [command, file] of found.commands) {
      const needed = commandPolicy[command];
      if (!needed) {
        problems.push(
          `${name} calls ${command} (in ${file}), which this test does not know: say in commandPolicy which IAM actions it needs`,
        );
        continue;
      }
      const lacking = needed.actions.filter((a) => !allows(statements, a, needed.on));
      if (lacking.length)
        problems.push(
          `${name} calls ${command} (in ${file}) but its role lacks ${lacking.join(', ')}${needed.on ? ` on the ${needed.on}` : ''}: add the need that grants it in infra/functions.ts`,
        );
    }
    expect(problems).toEqual([]);
  });
});

test('the handlers that answer workflow tasks are found (the test sees through the bundle)', () => {
  // A guard against this test passing vacuously: these handlers do answer tasks today.
  for (const name of ['amend-application', 'withdraw-application', 'sweep-shard'] as const) {
    expect([...(code.get(name)?.commands.keys() ?? [])]).toEqual(expect.arrayContaining(['SendTaskSuccessCommand']));
    expect([...(code.get(name)?.env.keys() ?? [])]).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'STATE_MACHINE_ARN']),
    );
  }
});

/** The DynamoDB actions a bundle's commands and transaction items need. */
function dynamoActionsUsed(found: HandlerCode): Set<string> {
  const used = new Set<string>();
  for (const command of found.commands.keys())
    for (const action of commandPolicy[command]?.actions ?? []) if (action.startsWith('dynamodb:')) used.add(action);
  if (found.commands.has('TransactWriteCommand'))
    for (const kind of found.transactItems.keys()) used.add(transactItemPolicy[kind]);
  return used;
}

/** infra/grants.ts gives reads and writes as groups; anything else (DeleteItem, a batch) one by one. */
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];
function dynamoActionsDue(used: Set<string>): string[] {
  const due = new Set<string>();
  const writes = TABLE_WRITE.some((action) => used.has(action));
  if (writes || TABLE_READ.some((action) => used.has(action))) TABLE_READ.forEach((action) => due.add(action));
  if (writes) TABLE_WRITE.forEach((action) => due.add(action));
  for (const action of used) due.add(action);
  return [...due].sort();
}

const dynamoActionsGranted = (statements: Statement[]) =>
  [
    ...new Set(
      statements
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
        .filter((action) => /^dynamodb:/i.test(action)),
    ),
  ].sort();

describe('no function is granted more than its bundle uses', () => {
  test.each(functionSpecs.map((spec) => spec.name))(
    '%s has exactly the DynamoDB actions its bundle uses (reads and writes as groups)',
    (name) => {
      const fn = stack.functions.get(name);
      const role = (
        resources[stack.getLogicalId(fn!.node.defaultChild as CfnElement)].Properties.Role as {
          'Fn::GetAtt': [string, string];
        }
      )['Fn::GetAtt'][0];
      const found = code.get(name) as HandlerCode;
      expect({ name, actions: dynamoActionsGranted(statementsOf(role)) }).toEqual({
        name,
        actions: dynamoActionsDue(dynamoActionsUsed(found)),
      });
    },
  );

  test('the grants are read from the bundles (DeleteItem, a transaction, a write-free reader are found)', () => {
    // Guards against the test above passing vacuously.
    expect(dynamoActionsUsed(code.get('submit-application')!)).toEqual(
      new Set([...TABLE_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']),
    );
    expect(dynamoActionsUsed(code.get('send-receipt')!)).toContain('dynamodb:DeleteItem');
    expect(dynamoActionsDue(dynamoActionsUsed(code.get('get-application')!))).toEqual(TABLE_READ);
    expect(dynamoActionsUsed(code.get('amend-application')!).has('dynamodb:DeleteItem')).toBe(false);
  });

  test.each(functionSpecs.map((spec) => spec.name))('%s may send email only if its code does', (name) => {
    const found = code.get(name) as HandlerCode;
    const sends = found.commands.has('SendEmailCommand') || found.commands.has('SendRawEmailCommand');
    const spec = functionSpecs.find((s) => s.name === name);
    expect({ name, granted: spec?.needs.includes('email:send') }).toEqual({ name, granted: sends });
  });

  test('API handlers bundle no workflow step unless they send email themselves', () => {
    const apiNames = functionSpecs
      .map((spec) => spec.name)
      .filter(
        (name) =>
          !['sweep-deadlines', 'seed-units'].includes(name) &&
          !/^(send-receipt|formal-check|return-for-correction|record-rejection|record-failure)$/.test(name),
      );
    const stepFiles = apiNames.flatMap((name) =>
      [...(code.get(name)?.commands.values() ?? [])]
        .filter((file) => file.includes('use-cases/steps/'))
        .map((file) => `${name}: ${file}`),
    );
    expect(stepFiles).toEqual([]);
    // The amendment and withdrawal answer tasks, but the email-sending deadline rejection is the sweep's.
    for (const name of ['amend-application', 'withdraw-application'] as const)
      expect(code.get(name)?.commands.has('SendEmailCommand')).toBe(false);
  });
});
