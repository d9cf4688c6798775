/** The task-token actions: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat. */
import type { ApiContext } from './api-context';
import { SfnApiError, TaskError } from './errors';
import { optionalString, parseJson, requireString } from './request';
import type { JsonObject, JsonValue } from './types';

export function sendTaskSuccess(ctx: ApiContext, request: JsonObject): JsonObject {
  const open = ctx.tokens.openTaskFor(request);
  const output = requireString(request, 'output');
  const value = parseJson(
    output,
    (message) => new SfnApiError('InvalidOutput', `Invalid Output: '${message}'`),
  ) as JsonValue;
  ctx.tokens.close(open);
  open.attempt.result = value;
  open.resolve(value);
  return {};
}

export function sendTaskFailure(ctx: ApiContext, request: JsonObject): JsonObject {
  const open = ctx.tokens.openTaskFor(request);
  const error = optionalString(request, 'error');
  const cause = optionalString(request, 'cause');
  ctx.tokens.close(open);
  open.reject(new TaskError(error ?? '', cause ?? ''));
  return {};
}

export function sendTaskHeartbeat(ctx: ApiContext, request: JsonObject): JsonObject {
  // HeartbeatSeconds is not enforced locally (the library ignores it); a heartbeat only checks the token.
  ctx.tokens.openTaskFor(request);
  return {};
}
