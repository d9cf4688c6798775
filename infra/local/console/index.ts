/**
 * The console of local mode, on the API port (served locally only): the pages staff work from, and
 * what the Step Functions console shows on AWS.
 *
 *   GET /_local/console                        applications, filtered by call, unit, type, status, stage
 *   GET /_local/console/applications/{id}      one application: waiting on, timeline, emails, executions
 *   GET /_local/console/quotas                 quota use and awards per project type, for each call
 *   GET /_local/console/executions[?status=]   every execution of the state machine
 *   GET /_local/console/executions/{name}      one execution and its full history
 *   GET /_local/console/mailbox                every email sent, newest first, bodies shown
 *   GET /_local/console/sweep                  the deadline sweep's last runs
 *
 * Server-rendered HTML, Chinese first then English, readable on a phone, no script and no external
 * asset; times in Beijing time on the simulated clock (the wall clock only where it matters, and
 * then labelled: Step Functions' own dates).
 */
import type { LocalRoute } from '../gateway';
import { applicationPage, applicationsPage, quotasPage } from './applications';
import { productStore, type ConsoleStore } from './data';
import { executionPage, executionsPage, type ExecutionsDeps } from './executions';
import { errorName, problem, type ConsoleClock, type PageOptions } from './html';
import { mailboxPage } from './mailbox';
import { sweepPage, type SweepRuns } from './sweep';

export { escapeHtml } from './html';
export type { StepFunctionsApi } from './executions';
export { SweepRuns } from './sweep';
export { stampSimulatedSendTime } from './mailbox';
export type { ConsoleStore } from './data';

export interface ConsoleDeps extends ExecutionsDeps {
  /** The simulated clock (shown on every page; "since when" and "overdue" are measured on it). */
  clock?: ConsoleClock;
  /** The sweep's recorded runs (local-stack.ts records them). */
  sweepRuns?: SweepRuns;
  /** Where applications, tasks and emails are read (default: the product's adapters). */
  store?: ConsoleStore;
}

const BASE = '/_local/console';

/**
 * The console's routes, for the local gateway: answers GET (and HEAD) under /_local/console, and
 * undefined for every other path so the next route can have it.
 */
export function consoleRoutes(deps: ConsoleDeps): LocalRoute {
  const withStore = { ...deps, store: deps.store ?? productStore };
  return async ({ method, url }) => {
    const path = url.pathname;
    if (path !== BASE && !path.startsWith(`${BASE}/`)) return undefined;
    const options: PageOptions = { clock: deps.clock };
    if (method !== 'GET' && method !== 'HEAD')
      return problem(405, 'Method not allowed', `${method} is not allowed on ${path}`, options);
    const rest = path.slice(BASE.length).replace(/\/$/, '');
    try {
      if (rest === '') return await applicationsPage(withStore, url, options);
      if (rest === '/quotas') return await quotasPage(withStore, options);
      if (rest === '/executions') return await executionsPage(deps, url, options);
      if (rest === '/mailbox') return await mailboxPage(withStore.store, url, options);
      if (rest === '/sweep') return sweepPage(deps.sweepRuns, options);
      const application = /^\/applications\/([^/]+)$/.exec(rest);
      if (application) return await applicationPage(withStore, application[1], options);
      const execution = /^\/executions\/([^/]+)$/.exec(rest);
      if (execution) return await executionPage(deps, execution[1], options);
      return problem(404, 'Not found', `Nothing at ${path}`, options);
    } catch (error) {
      console.error('local console: failed', error);
      return problem(
        502,
        'The console could not read its data',
        `${errorName(error) || 'Error'}: ${error instanceof Error ? error.message : String(error)}`,
        options,
      );
    }
  };
}
