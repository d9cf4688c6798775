/**
 * The API's route table, shared by the CDK stack (API Gateway resources and methods) and the local
 * gateway (infra/local/gateway.ts), so the two cannot drift apart.
 *
 * auth: 'none' is public; 'user' needs a signed-in caller (a unit or staff, told apart by claims).
 * A task link is its own authority: its signature names the one person it was sent to.
 */
export type FunctionName =
  | 'list-calls'
  | 'get-call'
  | 'submit-application'
  | 'get-application'
  | 'amend-application'
  | 'withdraw-application'
  | 'list-my-applications'
  | 'list-my-drafts'
  | 'get-my-draft'
  | 'put-my-draft'
  | 'delete-my-draft'
  | 'put-unit-standing'
  | 'put-unit'
  | 'list-units'
  | 'get-unit'
  | 'task-link'
  | 'list-staff-tasks'
  | 'record-paper-copies'
  | 'list-experts'
  | 'put-expert'
  | 'start-expert-assignment'
  | 'get-review-status'
  | 'add-expert'
  | 'extend-review'
  | 'propose-award'
  | 'get-award-proposal'
  | 'get-job'
  | 'get-results'
  | 'publish-results'
  | 'list-my-obligations'
  | 'request-upload'
  | 'submit-report'
  | 'record-forum-dates'
  | 'list-call-obligations'
  | 'list-call-applications'
  | 'get-call-overview'
  | 'open-reporting-round';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
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
  { method: 'GET', path: '/units/me/drafts', fn: 'list-my-drafts', auth: 'user' },
  { method: 'GET', path: '/units/me/drafts/{draftId}', fn: 'get-my-draft', auth: 'user' },
  { method: 'PUT', path: '/units/me/drafts/{draftId}', fn: 'put-my-draft', auth: 'user' },
  { method: 'DELETE', path: '/units/me/drafts/{draftId}', fn: 'delete-my-draft', auth: 'user' },
  { method: 'PUT', path: '/units/{unitId}/standing', fn: 'put-unit-standing', auth: 'user' },
  { method: 'PUT', path: '/units/{unitId}', fn: 'put-unit', auth: 'user' },
  { method: 'GET', path: '/units', fn: 'list-units', auth: 'user' },
  { method: 'GET', path: '/units/{unitId}', fn: 'get-unit', auth: 'user' },
  { method: 'GET', path: '/tasks/{taskId}', fn: 'task-link', auth: 'none' },
  { method: 'POST', path: '/tasks/{taskId}', fn: 'task-link', auth: 'none' },
  { method: 'GET', path: '/staff/tasks', fn: 'list-staff-tasks', auth: 'user' },
  { method: 'POST', path: '/calls/{callId}/paper-copies', fn: 'record-paper-copies', auth: 'user' },
  { method: 'GET', path: '/experts', fn: 'list-experts', auth: 'user' },
  { method: 'PUT', path: '/experts/{expertId}', fn: 'put-expert', auth: 'user' },
  { method: 'POST', path: '/calls/{callId}/expert-assignments', fn: 'start-expert-assignment', auth: 'user' },
  { method: 'GET', path: '/calls/{callId}/review-status', fn: 'get-review-status', auth: 'user' },
  { method: 'POST', path: '/applications/{applicationId}/experts', fn: 'add-expert', auth: 'user' },
  { method: 'POST', path: '/applications/{applicationId}/review-deadline', fn: 'extend-review', auth: 'user' },
  { method: 'POST', path: '/calls/{callId}/award-proposal', fn: 'propose-award', auth: 'user' },
  { method: 'GET', path: '/calls/{callId}/award-proposal', fn: 'get-award-proposal', auth: 'user' },
  { method: 'GET', path: '/jobs/{jobId}', fn: 'get-job', auth: 'user' },
  { method: 'GET', path: '/calls/{callId}/results', fn: 'get-results', auth: 'user' },
  { method: 'POST', path: '/calls/{callId}/results/publish', fn: 'publish-results', auth: 'user' },
  { method: 'GET', path: '/units/me/obligations', fn: 'list-my-obligations', auth: 'user' },
  {
    method: 'POST',
    path: '/applications/{applicationId}/reports/{kind}/attachments',
    fn: 'request-upload',
    auth: 'user',
  },
  { method: 'POST', path: '/applications/{applicationId}/reports/{kind}', fn: 'submit-report', auth: 'user' },
  { method: 'PUT', path: '/applications/{applicationId}/forum-dates', fn: 'record-forum-dates', auth: 'user' },
  { method: 'GET', path: '/calls/{callId}/obligations', fn: 'list-call-obligations', auth: 'user' },
  { method: 'GET', path: '/calls/{callId}/applications', fn: 'list-call-applications', auth: 'user' },
  { method: 'GET', path: '/calls/{callId}/overview', fn: 'get-call-overview', auth: 'user' },
  { method: 'POST', path: '/calls/{callId}/reporting-round', fn: 'open-reporting-round', auth: 'user' },
  // The published results, for anyone (no sign-in).
  { method: 'GET', path: '/results/{callId}', fn: 'get-results', auth: 'none' },
];
