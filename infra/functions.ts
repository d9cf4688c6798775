import type { FunctionName } from './routes';

/**
 * Every Lambda of the product and what it needs. The stack turns each need into an environment
 * variable together with the IAM grant it implies (infra/grants.ts); local mode reads the same list
 * to route Lambda invocations to the same handler modules in-process. test/infra/function-env.test.ts
 * bundles each handler and checks that its needs cover every variable and AWS call in its bundle.
 */
export type Need = 'table:read' | 'table:write' | 'workflow:start' | 'workflow:answer' | 'email:send' | 'links';

export type WorkflowFunctionName = 'send-receipt' | 'formal-check' | 'return-for-correction' | 'record-rejection' | 'record-failure';
export type ScheduledFunctionName = 'sweep-deadlines' | 'seed-units';
export type AnyFunctionName = FunctionName | WorkflowFunctionName | ScheduledFunctionName;

export interface FunctionSpec {
  name: AnyFunctionName;
  needs: Need[];
}

export const functionSpecs: readonly FunctionSpec[] = [
  { name: 'list-calls', needs: [] },
  { name: 'get-call', needs: [] },
  { name: 'submit-application', needs: ['table:write', 'workflow:start'] },
  { name: 'get-application', needs: ['table:read'] },
  // workflow:start: an answer whose execution is gone starts a new one (shared/use-cases/workflow-start.ts).
  { name: 'amend-application', needs: ['table:write', 'workflow:answer', 'workflow:start'] },
  { name: 'withdraw-application', needs: ['table:write', 'workflow:answer', 'workflow:start'] },
  { name: 'list-my-applications', needs: ['table:read'] },
  { name: 'put-unit-standing', needs: ['table:write'] },
  { name: 'send-receipt', needs: ['table:write', 'email:send', 'links'] },
  { name: 'formal-check', needs: ['table:write', 'email:send'] },
  { name: 'return-for-correction', needs: ['table:write', 'email:send', 'links'] },
  { name: 'record-rejection', needs: ['table:write', 'email:send'] },
  { name: 'record-failure', needs: ['table:write'] },
  { name: 'sweep-deadlines', needs: ['table:write', 'workflow:start', 'workflow:answer', 'email:send', 'links'] },
  { name: 'seed-units', needs: ['table:write'] },
];

/** The construct id of a function: its file name in PascalCase (formal-check → FormalCheck). */
export const constructId = (name: AnyFunctionName) => name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
