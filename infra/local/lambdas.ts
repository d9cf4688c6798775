import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { functionSpecs, memoryMbOf, type AnyFunctionName } from '@infra/functions';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The same handler modules the CDK functions bundle, loaded in-process. Imports are listed one by
 * one (not built from strings) so the compiler checks that every function of infra/functions.ts has
 * its module and so bundlers and jest can see them.
 */
const modules: Record<AnyFunctionName, () => Promise<{ handler: unknown }>> = {
  'list-calls': () => import('@functions/list-calls'),
  'get-call': () => import('@functions/get-call'),
  'submit-application': () => import('@functions/submit-application'),
  'get-application': () => import('@functions/get-application'),
  'amend-application': () => import('@functions/amend-application'),
  'withdraw-application': () => import('@functions/withdraw-application'),
  'list-my-applications': () => import('@functions/list-my-applications'),
  'list-my-drafts': () => import('@functions/list-my-drafts'),
  'get-my-draft': () => import('@functions/get-my-draft'),
  'put-my-draft': () => import('@functions/put-my-draft'),
  'delete-my-draft': () => import('@functions/delete-my-draft'),
  'put-unit-standing': () => import('@functions/put-unit-standing'),
  'put-unit': () => import('@functions/put-unit'),
  'list-units': () => import('@functions/list-units'),
  'get-unit': () => import('@functions/get-unit'),
  'task-link': () => import('@functions/task-link'),
  'list-staff-tasks': () => import('@functions/list-staff-tasks'),
  'record-paper-copies': () => import('@functions/record-paper-copies'),
  'list-experts': () => import('@functions/list-experts'),
  'put-expert': () => import('@functions/put-expert'),
  'open-link-task': () => import('@functions/open-link-task'),
  'record-review-outcome': () => import('@functions/record-review-outcome'),
  'send-receipt': () => import('@functions/send-receipt'),
  'formal-check': () => import('@functions/formal-check'),
  'return-for-correction': () => import('@functions/return-for-correction'),
  'record-rejection': () => import('@functions/record-rejection'),
  'record-failure': () => import('@functions/record-failure'),
  'start-expert-assignment': () => import('@functions/start-expert-assignment'),
  'get-review-status': () => import('@functions/get-review-status'),
  'add-expert': () => import('@functions/add-expert'),
  'extend-review': () => import('@functions/extend-review'),
  'propose-award': () => import('@functions/propose-award'),
  'get-award-proposal': () => import('@functions/get-award-proposal'),
  'get-job': () => import('@functions/get-job'),
  'get-results': () => import('@functions/get-results'),
  'publish-results': () => import('@functions/publish-results'),
  'open-review-wait': () => import('@functions/open-review-wait'),
  'open-expert-review': () => import('@functions/open-expert-review'),
  'collect-scores': () => import('@functions/collect-scores'),
  'record-award': () => import('@functions/record-award'),
  'list-my-obligations': () => import('@functions/list-my-obligations'),
  'request-upload': () => import('@functions/request-upload'),
  'submit-report': () => import('@functions/submit-report'),
  'record-forum-dates': () => import('@functions/record-forum-dates'),
  'list-call-obligations': () => import('@functions/list-call-obligations'),
  'list-call-applications': () => import('@functions/list-call-applications'),
  'get-call-overview': () => import('@functions/get-call-overview'),
  'open-reporting-round': () => import('@functions/open-reporting-round'),
  'sweep-deadlines': () => import('@functions/sweep-deadlines'),
  'sweep-shard': () => import('@functions/sweep-shard'),
  'seed-units': () => import('@functions/seed-units'),
  'record-email-event': () => import('@functions/record-email-event'),
  'resume-stalled': () => import('@functions/resume-stalled'),
};

export const localFunctionNames = Object.keys(modules) as AnyFunctionName[];

/**
 * Each module imported once, as a Lambda container keeps its module: a dynamic import() of a module
 * already loaded still goes through the loader's resolve hooks (tsx runs them in a worker thread),
 * which took a tenth of every local request's time.
 */
const loaded = new Map<AnyFunctionName, Promise<{ handler: unknown }>>();
function loadedModule(name: AnyFunctionName): Promise<{ handler: unknown }> {
  let module = loaded.get(name);
  if (!module) {
    module = modules[name]();
    loaded.set(name, module);
    // A module that failed to load is tried again on the next call, as a new Lambda container would.
    module.catch(() => loaded.delete(name));
  }
  return module;
}

function lambdaContext(name: string, requestId: string): Context {
  const started = Date.now();
  // Its own timeout as the stack sets it (a sweep worker's is longer than a request's 29 s).
  const timeoutMs = (functionSpecs.find((spec) => spec.name === name)?.timeoutSeconds ?? 29) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(memoryMbOf(functionSpecs.find((spec) => spec.name === name))),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Invokes a handler as Lambda would: a fresh context per call, errors thrown with their name intact.
 * `requestId` (the gateway's, for an API call) becomes the context's request id, so the handler's log
 * lines carry the id of the access log line.
 */
export async function invokeLocal(
  name: AnyFunctionName,
  event: unknown,
  requestId: string = randomUUID(),
): Promise<unknown> {
  const loaded = await loadedModule(name);
  const handler = loaded.handler as Handler;
  // Lambda hands a handler a deserialised copy of the event, never the caller's object.
  return handler(JSON.parse(JSON.stringify(event ?? null)), lambdaContext(name, requestId));
}
