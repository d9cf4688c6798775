/**
 * The API's route table, shared by the CDK stack (API Gateway resources and methods) and the local
 * gateway (infra/local/gateway.ts), so the two cannot drift apart.
 *
 * auth: 'none' is public; 'user' needs a signed-in caller (a unit or staff, told apart by claims).
 */
export type FunctionName =
  | 'list-calls'
  | 'get-call'
  | 'submit-application'
  | 'get-application'
  | 'amend-application'
  | 'withdraw-application'
  | 'list-my-applications'
  | 'put-unit-standing';

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  fn: FunctionName;
  auth: 'none' | 'user';
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/calls', fn: 'list-calls', auth: 'none' },
  { method: 'GET', path: '/calls/{callId}', fn: 'get-call', auth: 'none' },
  { method: 'POST', path: '/calls/{callId}/applications', fn: 'submit-application', auth: 'user' },
  { method: 'GET', path: '/applications/{applicationId}', fn: 'get-application', auth: 'user' },
  { method: 'PUT', path: '/applications/{applicationId}', fn: 'amend-application', auth: 'user' },
  { method: 'POST', path: '/applications/{applicationId}/withdraw', fn: 'withdraw-application', auth: 'user' },
  { method: 'GET', path: '/units/me/applications', fn: 'list-my-applications', auth: 'user' },
  { method: 'PUT', path: '/units/{unitId}/standing', fn: 'put-unit-standing', auth: 'user' },
];
