/**
 * Turns the state machine that `cdk synth` writes into a CloudFormation template into the plain
 * Amazon States Language JSON that aws-local-stepfunctions runs, and lists its Task states so local
 * mode can route every Lambda task to an in-process handler.
 *
 * CDK emits `DefinitionString` as an `Fn::Join` of JSON fragments, `{"Fn::GetAtt": [fn, "Arn"]}`
 * and `{"Ref": "AWS::Partition"}`. Lambda functions get fake but well-formed ARNs
 * (`arn:aws:lambda:local:000000000000:function:<LogicalId>`) so the function behind a task can be
 * recovered from its ARN alone; anything else a definition references (a table name, a queue URL)
 * comes from the caller's `refs` map, because only the caller knows what it is called locally.
 */

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_PARTITION = 'aws';

/** A CloudFormation template as `cdk synth` writes it, read loosely: only what this module touches is typed. */
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: unknown }>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** An Amazon States Language definition (or a Parallel branch / Map item processor). */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  Comment?: string;
  [key: string]: unknown;
}

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  Branches?: AslDefinition[];
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  [key: string]: unknown;
}

export interface ResolveOptions {
  /**
   * Values for `{"Ref": id}` and `{"Fn::GetAtt": [id, attr]}` (key `"id.attr"`) that are not Lambda
   * functions or pseudo parameters, e.g. `{ ApplicationsTable1234: 'applications-local' }`.
   * An entry here also overrides the built-in value for a function or pseudo parameter.
   */
  refs?: Record<string, unknown>;
  partition?: string;
  region?: string;
  accountId?: string;
}

export interface ResolvedStateMachine {
  /** Logical ID of the `AWS::StepFunctions::StateMachine` resource. */
  logicalId: string;
  /** `StateMachineName` when the template sets a literal one, else the logical ID. */
  name: string;
  definition: AslDefinition;
  /** Logical IDs of the `AWS::Lambda::Function` resources the definition references, sorted. */
  functionLogicalIds: string[];
  /** Fake function ARN (as it appears in the definition) → logical ID of that function. */
  functionArnToLogicalId: Record<string, string>;
}

export type TaskIntegration = 'lambda:invoke' | 'lambda:invoke.waitForTaskToken' | 'lambda-function' | 'other';

export interface TaskStateInfo {
  stateName: string;
  resource: string;
  integration: TaskIntegration;
  /** `Parameters.FunctionName` (or the Resource itself for a bare Lambda ARN); absent when it is a `FunctionName.$` path. */
  functionName?: string;
  /** `Parameters["FunctionName.$"]`, when the function is chosen at run time. */
  functionNamePath?: string;
  waitForTaskToken: boolean;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  /** Names of the Map/Parallel states enclosing this task, outermost first. */
  containers: string[];
  /** True when some enclosing state is a Map, i.e. several copies of this task may run at once. */
  insideMap: boolean;
}

export interface ContainerStateInfo {
  stateName: string;
  type: 'Map' | 'Parallel';
  /** Names of the Map/Parallel states enclosing this one, outermost first. */
  containers: string[];
  insideMap: boolean;
}

const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const LAMBDA_FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;

export function localFunctionArn(
  logicalId: string,
  options: Pick<ResolveOptions, 'partition' | 'region' | 'accountId'> = {},
): string {
  const { partition = LOCAL_PARTITION, region = LOCAL_REGION, accountId = LOCAL_ACCOUNT_ID } = options;
  return `arn:${partition}:lambda:${region}:${accountId}:function:${logicalId}`;
}

export function localStateMachineArn(
  name: string,
  options: Pick<ResolveOptions, 'partition' | 'region' | 'accountId'> = {},
): string {
  const { partition = LOCAL_PARTITION, region = LOCAL_REGION, accountId = LOCAL_ACCOUNT_ID } = options;
  return `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;
}

/**
 * The function a `FunctionName` designates, as Lambda reads it: a name, a full or partial ARN
 * (`123456789012:function:name`), each optionally with a `:qualifier`. With fake ARNs from this
 * module the result is the function's logical ID.
 */
export function functionLogicalIdFromName(functionName: string): string {
  const parts = functionName.split(':');
  const fnIndex = parts.indexOf('function');
  if (fnIndex >= 0 && fnIndex + 1 < parts.length) return parts[fnIndex + 1];
  // "name:qualifier" — a bare name never contains a colon otherwise
  return parts[0];
}

export function resolveStateMachineDefinition(
  template: CfnTemplate,
  stateMachineLogicalId?: string,
  options: ResolveOptions = {},
): ResolvedStateMachine {
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  let logicalId: string;
  if (stateMachineLogicalId !== undefined) {
    const found = resources[stateMachineLogicalId];
    if (!found || found.Type !== 'AWS::StepFunctions::StateMachine') {
      throw new Error(
        `No AWS::StepFunctions::StateMachine "${stateMachineLogicalId}" in the template; it has: ${machines.map(([id]) => id).join(', ') || 'none'}`,
      );
    }
    logicalId = stateMachineLogicalId;
  } else {
    if (machines.length !== 1) {
      throw new Error(
        `The template has ${machines.length} state machines (${machines.map(([id]) => id).join(', ')}); pass the logical ID of the one to resolve`,
      );
    }
    logicalId = machines[0][0];
  }

  const props = resources[logicalId].Properties ?? {};
  const resolver = new IntrinsicResolver(template, options);

  let text: string;
  if (props.DefinitionString !== undefined) {
    const resolved = resolver.resolve(props.DefinitionString, 'DefinitionString');
    if (typeof resolved !== 'string') throw new Error(`DefinitionString of ${logicalId} did not resolve to a string`);
    text = resolved;
  } else if (props.Definition !== undefined) {
    text = JSON.stringify(resolver.resolve(props.Definition, 'Definition'));
  } else if (props.DefinitionS3Location !== undefined) {
    throw new Error(
      `${logicalId} loads its definition from S3 (DefinitionS3Location), which cannot be resolved locally`,
    );
  } else {
    throw new Error(`${logicalId} has no DefinitionString or Definition`);
  }

  // DefinitionSubstitutions replace ${key} placeholders in the definition text, as CloudFormation does.
  const substitutions = props.DefinitionSubstitutions;
  if (substitutions && typeof substitutions === 'object') {
    for (const [key, raw] of Object.entries(substitutions as Record<string, unknown>)) {
      const value = resolver.resolve(raw, `DefinitionSubstitutions.${key}`);
      text = text.split('${' + key + '}').join(typeof value === 'string' ? value : JSON.stringify(value));
    }
  }

  let definition: AslDefinition;
  try {
    definition = JSON.parse(text) as AslDefinition;
  } catch (e) {
    throw new Error(`The resolved definition of ${logicalId} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!definition || typeof definition !== 'object' || typeof definition.StartAt !== 'string' || !definition.States) {
    throw new Error(`The resolved definition of ${logicalId} has no StartAt/States`);
  }

  const name = typeof props.StateMachineName === 'string' ? props.StateMachineName : logicalId;
  const functionLogicalIds = [...resolver.functionsSeen].sort();
  const functionArnToLogicalId: Record<string, string> = {};
  for (const id of functionLogicalIds) functionArnToLogicalId[localFunctionArn(id, options)] = id;
  return { logicalId, name, definition, functionLogicalIds, functionArnToLogicalId };
}

class IntrinsicResolver {
  readonly functionsSeen = new Set<string>();
  private readonly resources: Record<string, CfnResource>;
  private readonly partition: string;
  private readonly region: string;
  private readonly accountId: string;

  constructor(
    private readonly template: CfnTemplate,
    private readonly options: ResolveOptions,
  ) {
    this.resources = template.Resources ?? {};
    this.partition = options.partition ?? LOCAL_PARTITION;
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  }

  resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) return value.map((v, i) => this.resolve(v, `${where}[${i}]`));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], obj[keys[0]], where);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = this.resolve(obj[k], `${where}.${k}`);
    return out;
  }

  private intrinsic(fn: string, arg: unknown, where: string): unknown {
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') throw new Error(`${where}: Ref needs a string`);
        return this.ref(arg, where);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as unknown[]) : typeof arg === 'string' ? splitOnce(arg, '.') : [];
        if (typeof id !== 'string' || typeof attr !== 'string') throw new Error(`${where}: malformed Fn::GetAtt`);
        return this.getAtt(id, attr, where);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new Error(`${where}: malformed Fn::Join`);
        const [delimiter, list] = arg as [unknown, unknown];
        const items = this.resolve(list, `${where}.Fn::Join`);
        if (typeof delimiter !== 'string' || !Array.isArray(items)) throw new Error(`${where}: malformed Fn::Join`);
        return items.map((item) => stringify(item, where)).join(delimiter);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [unknown, unknown]) : [arg, {}];
        if (typeof text !== 'string') throw new Error(`${where}: malformed Fn::Sub`);
        const resolvedVars = (this.resolve(vars ?? {}, `${where}.Fn::Sub`) ?? {}) as Record<string, unknown>;
        return text.replace(/\$\{([^}]+)\}/g, (whole, expr: string) => {
          if (expr.startsWith('!')) return '${' + expr.slice(1) + '}'; // ${!Literal} escapes
          if (expr in resolvedVars) return stringify(resolvedVars[expr], where);
          const [id, attr] = splitOnce(expr, '.');
          return stringify(attr === undefined ? this.ref(id, where) : this.getAtt(id, attr, where), where);
        });
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new Error(`${where}: malformed Fn::Select`);
        const index = Number(this.resolve(arg[0], where));
        const list = this.resolve(arg[1], where);
        if (!Array.isArray(list) || !(index >= 0 && index < list.length))
          throw new Error(`${where}: Fn::Select out of range`);
        return list[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new Error(`${where}: malformed Fn::Split`);
        const source = this.resolve(arg[1], where);
        if (typeof arg[0] !== 'string' || typeof source !== 'string') throw new Error(`${where}: malformed Fn::Split`);
        return source.split(arg[0]);
      }
      default:
        throw new Error(`${where}: ${fn} is not supported when resolving a state machine definition locally`);
    }
  }

  private ref(id: string, where: string): unknown {
    const refs = this.options.refs ?? {};
    if (id in refs) return refs[id];
    switch (id) {
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'local';
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${this.region}:${this.accountId}:stack/local/00000000-0000-0000-0000-000000000000`;
    }
    const resource = this.resources[id];
    if (resource?.Type === 'AWS::Lambda::Function') {
      this.functionsSeen.add(id);
      return id;
    }
    const literalName = resource ? literalPhysicalName(resource) : undefined;
    if (literalName !== undefined) return literalName;
    const parameter = this.template.Parameters?.[id];
    if (parameter && parameter.Default !== undefined) return parameter.Default;
    throw new Error(
      `${where}: cannot resolve {"Ref": "${id}"}${resource ? ` (${resource.Type})` : ''}; pass it in options.refs`,
    );
  }

  private getAtt(id: string, attr: string, where: string): unknown {
    const refs = this.options.refs ?? {};
    const key = `${id}.${attr}`;
    if (key in refs) return refs[key];
    const resource = this.resources[id];
    if (resource?.Type === 'AWS::Lambda::Function' && attr === 'Arn') {
      this.functionsSeen.add(id);
      return localFunctionArn(id, { partition: this.partition, region: this.region, accountId: this.accountId });
    }
    if (resource?.Type === 'AWS::DynamoDB::Table' && attr === 'Arn') {
      const table = id in refs ? refs[id] : (literalPhysicalName(resource) ?? id);
      return `arn:${this.partition}:dynamodb:${this.region}:${this.accountId}:table/${String(table)}`;
    }
    throw new Error(
      `${where}: cannot resolve {"Fn::GetAtt": ["${id}", "${attr}"]}${resource ? ` (${resource.Type})` : ''}; pass "${key}" in options.refs`,
    );
  }
}

/** The name a resource's Ref returns when the template spells it out, e.g. a table's literal TableName. */
function literalPhysicalName(resource: CfnResource): string | undefined {
  const nameProperty: Record<string, string> = {
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::DynamoDB::GlobalTable': 'TableName',
    'AWS::SNS::Topic': 'TopicName',
    'AWS::Events::EventBus': 'Name',
  };
  const prop = nameProperty[resource.Type];
  const value = prop ? resource.Properties?.[prop] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function stringify(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a string inside Fn::Join/Fn::Sub, got ${JSON.stringify(value)}`);
}

export function classifyResource(resource: string): TaskIntegration {
  const invoke = LAMBDA_INVOKE.exec(resource);
  if (invoke) return invoke[1] ? 'lambda:invoke.waitForTaskToken' : 'lambda:invoke';
  if (LAMBDA_FUNCTION_ARN.test(resource)) return 'lambda-function';
  return 'other';
}

/** Sub-definitions a state runs: Parallel branches, a Map's item processor. */
function childDefinitions(state: AslState): AslDefinition[] {
  if (state.Type === 'Parallel') return state.Branches ?? [];
  if (state.Type === 'Map') {
    const processor = state.ItemProcessor ?? state.Iterator;
    return processor ? [processor] : [];
  }
  return [];
}

/** Calls `visit` for every state, depth first, with the Map/Parallel states around it. */
export function walkStates(
  definition: AslDefinition,
  visit: (stateName: string, state: AslState, containers: string[], insideMap: boolean) => void,
  containers: string[] = [],
  insideMap = false,
): void {
  for (const [stateName, state] of Object.entries(definition.States ?? {})) {
    visit(stateName, state, containers, insideMap);
    for (const child of childDefinitions(state)) {
      walkStates(child, visit, [...containers, stateName], insideMap || state.Type === 'Map');
    }
  }
}

/** Every Task state of a definition, including those inside Parallel branches and Map item processors. */
export function listTaskStates(definition: AslDefinition): TaskStateInfo[] {
  const tasks: TaskStateInfo[] = [];
  walkStates(definition, (stateName, state, containers, insideMap) => {
    if (state.Type !== 'Task') return;
    const resource = state.Resource ?? '';
    const integration = classifyResource(resource);
    const params = state.Parameters ?? {};
    const info: TaskStateInfo = {
      stateName,
      resource,
      integration,
      waitForTaskToken: resource.endsWith('.waitForTaskToken'),
      containers,
      insideMap,
    };
    if (integration === 'lambda-function') info.functionName = resource;
    else if (typeof params.FunctionName === 'string') info.functionName = params.FunctionName;
    if (typeof params['FunctionName.$'] === 'string') info.functionNamePath = params['FunctionName.$'];
    if (typeof state.TimeoutSeconds === 'number') info.timeoutSeconds = state.TimeoutSeconds;
    if (typeof state.TimeoutSecondsPath === 'string') info.timeoutSecondsPath = state.TimeoutSecondsPath;
    if (typeof state.HeartbeatSeconds === 'number') info.heartbeatSeconds = state.HeartbeatSeconds;
    tasks.push(info);
  });
  return tasks;
}

/** Every Map and Parallel state of a definition, nested ones included. */
export function listContainerStates(definition: AslDefinition): ContainerStateInfo[] {
  const out: ContainerStateInfo[] = [];
  walkStates(definition, (stateName, state, containers, insideMap) => {
    if (state.Type === 'Map' || state.Type === 'Parallel')
      out.push({ stateName, type: state.Type, containers, insideMap });
  });
  return out;
}
