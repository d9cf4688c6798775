/** The state machines the endpoint serves: built once from their configs, looked up by ARN. */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  listContainerStates,
  listTaskStates,
  walkStates,
  type AslDefinition,
  type AslState,
} from '../state-machine-template';
import { invalidArn, SfnApiError } from './errors';
import { withLocalTimeouts } from './timeouts';
import type { LocalStateMachineConfig, Log, MachineEntry } from './types';

const MACHINE_ARN = /^arn:[^:]+:states:([^:]*):([^:]*):stateMachine:([^:]+)$/;

/** Every configured state machine by ARN; throws on a config local mode cannot run. */
export function buildMachines(configs: LocalStateMachineConfig[], log: Log): Map<string, MachineEntry> {
  const machines = new Map<string, MachineEntry>();
  const created = Date.now();
  for (const sm of configs) {
    const m = MACHINE_ARN.exec(sm.arn);
    if (!m) throw new Error(`State machine ${sm.name}: "${sm.arn}" is not a state machine ARN`);
    if (machines.has(sm.arn)) throw new Error(`Two state machines share the ARN ${sm.arn}`);
    machines.set(sm.arn, buildMachine(sm, { region: m[1], account: m[2] }, created, log));
  }
  return machines;
}

function buildMachine(
  sm: LocalStateMachineConfig,
  arnParts: { region: string; account: string },
  created: number,
  log: Log,
): MachineEntry {
  const definition = sm.definition as AslDefinition;
  const runnableDefinition = withLocalTimeouts(definition);
  let runnable: StateMachine;
  try {
    // checkArn off: every Task is overridden locally, so fake Lambda ARNs never need to be real.
    runnable = new StateMachine(runnableDefinition as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: false },
    });
  } catch (e) {
    throw new Error(`State machine ${sm.name}: ${(e as Error).message}`, { cause: e });
  }
  const tasks = new Map(listTaskStates(runnableDefinition).map((t) => [t.stateName, t]));
  const states = new Map<string, AslState>();
  walkStates(definition, (name, state) => states.set(name, state));
  for (const t of tasks.values()) {
    if (t.integration === 'other')
      log(`[sfn] ${sm.name}: Task "${t.stateName}" uses ${t.resource}, which local mode does not run; it will fail`);
  }
  return {
    name: sm.name,
    arn: sm.arn,
    region: arnParts.region,
    roleArn: sm.roleArn ?? `arn:aws:iam::${arnParts.account || '000000000000'}:role/local-stepfunctions`,
    definition: sm.definition,
    runnable,
    tasks,
    containers: new Map(listContainerStates(definition).map((c) => [c.stateName, c])),
    states,
    creationDate: created,
  };
}

/** AWS's answers: a malformed ARN is InvalidArn, an unknown one StateMachineDoesNotExist. */
export function machineByArn(machines: Map<string, MachineEntry>, arn: string): MachineEntry {
  const machine = machines.get(arn);
  if (machine) return machine;
  if (!MACHINE_ARN.test(arn)) throw invalidArn(arn);
  throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}
