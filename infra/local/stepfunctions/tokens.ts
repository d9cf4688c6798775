/**
 * Task tokens: the ones handed out to `.waitForTaskToken` tasks, the tasks they hold open, and AWS's
 * answers to a token that is malformed, was never issued, or whose task is over.
 */
import { randomBytes } from 'node:crypto';
import { invalidToken, releasedError, SfnApiError, validationError } from './errors';
import { requireString } from './request';
import type { Execution, JsonObject, OpenTask } from './types';

const TOKEN_MARK = Buffer.from('local-sfn-token:');
const TOKEN_BYTES = TOKEN_MARK.length + 48;

export class TaskTokens {
  /** Every token handed out: open ones point at their task, answered/expired ones are 'closed'. */
  private readonly tokens = new Map<string, OpenTask | 'closed'>();

  /** A fresh token; it answers TaskDoesNotExist until a task is held with it. */
  issue(): string {
    return Buffer.concat([TOKEN_MARK, randomBytes(TOKEN_BYTES - TOKEN_MARK.length)]).toString('base64');
  }

  /** Holds the task open: its tokens lead to it until it is closed. */
  hold(open: OpenTask): void {
    for (const token of open.tokens) this.tokens.set(token, open);
    open.exec.openTasks?.add(open);
  }

  close(open: OpenTask): void {
    if (open.timer) clearTimeout(open.timer);
    open.exec.openTasks?.delete(open);
    for (const token of open.tokens) this.tokens.set(token, 'closed');
  }

  /** Closes the execution's open tasks (those `filter` accepts) and fails them as released. */
  release(exec: Execution, filter?: (open: OpenTask) => boolean): void {
    for (const open of [...(exec.openTasks ?? [])]) {
      if (filter && !filter(open)) continue;
      this.close(open);
      open.reject(releasedError());
    }
  }

  /** AWS's answers: malformed → InvalidToken, never issued → TaskDoesNotExist, already finished → TaskTimedOut. */
  openTaskFor(request: JsonObject): OpenTask {
    const token = requireString(request, 'taskToken');
    if (token.length < 1 || token.length > 2048) {
      throw validationError(
        "1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and 2048",
      );
    }
    const entry = this.tokens.get(token);
    if (entry === undefined) {
      if (!isWellFormedToken(token)) throw invalidToken();
      throw new SfnApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
    }
    if (entry === 'closed')
      throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return entry;
  }
}

function isWellFormedToken(token: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  const bytes = Buffer.from(token, 'base64');
  return bytes.length === TOKEN_BYTES && bytes.subarray(0, TOKEN_MARK.length).equals(TOKEN_MARK);
}
