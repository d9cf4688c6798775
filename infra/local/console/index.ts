/**
 * The console of local mode, on the API port (served locally only): what only local mode has, and
 * what the Step Functions console shows on AWS. Applications are read in the staff workspace
 * (/app/staff/applications), which serves local mode and AWS alike; the console's old application
 * pages send there, so links in old notes and emails still land.
 *
 *   GET /_local/console                        the console's home: the clock, and the tools below
 *   GET /_local/console/executions[?status=]   every execution of the state machine
 *   GET /_local/console/executions/{name}      one execution, its history, its application's workflow
 *   GET /_local/console/mailbox                every email sent, newest first, bodies shown
 *   GET /_local/console/sweep                  the deadline sweep's last runs
 *   GET /_local/console/applications/{id}      302 to /app/staff/applications/{id}
 *   GET /_local/console/quotas                 302 to /app/ (each type's quota and counts)
 *   GET /_local/console?unit=…&type=…          302 to the workspace's table, filtered alike
 *
 * Server-rendered HTML, Chinese first then English, readable on a phone, no script and no external
 * asset; times in Beijing time on the simulated clock (the wall clock only where it matters, and
 * then labelled: Step Functions' own dates).
 */
import type { LocalRoute } from '../gateway';
import { WEB_APP_PATH } from '../web-app';
import { productStore, type ConsoleStore } from './data';
import { executionPage } from './execution';
import { executionsPage, type ExecutionsDeps } from './executions';
import { homePage } from './home';
import {
  errorName,
  escapeHtml,
  HTML,
  problem,
  WORKSPACE_APPLICATIONS,
  type Answer,
  type ConsoleClock,
  type PageOptions,
} from './html';
import { mailboxPage } from './mailbox';
import { sweepPage, type SweepRuns } from './sweep';

export { escapeHtml } from './html';
export type { StepFunctionsApi } from './executions';
export { SweepRuns } from './sweep';
export { stampSimulatedSendTime } from './mailbox';
export type { ConsoleStore } from './data';

export interface ConsoleDeps extends ExecutionsDeps {
  /** The simulated clock (shown on every page; "overdue" is measured on it). */
  clock?: ConsoleClock;
  /** The sweep's recorded runs (local-stack.ts records them). */
  sweepRuns?: SweepRuns;
  /** Where open tasks and emails are read (default: the product's adapters). */
  store?: ConsoleStore;
}

const BASE = '/_local/console';

/** A 302 to where a page moved, with a link for a client that does not follow it. */
function movedTo(location: string): Answer {
  const body = `<!DOCTYPE html><meta charset="utf-8"><title>已移至 Moved</title><p>已移至 Moved to <a href="${escapeHtml(location)}">${escapeHtml(location)}</a></p>`;
  return { status: 302, body, contentType: HTML, headers: { location } };
}

/** The old applications list's filters, as the workspace's table names them (its stages are other groups: left out). */
const OLD_FILTERS = { call: 'call', unit: 'unitId', type: 'typeId', status: 'status' } as const;

/** Where a page the console no longer has now lives; undefined for the console's own pages. */
function movedPage(rest: string, url: URL): Answer | undefined {
  if (rest === '/quotas') return movedTo(WEB_APP_PATH);
  if (rest === '/applications') return movedTo(WORKSPACE_APPLICATIONS);
  const application = /^\/applications\/([^/]+)$/.exec(rest);
  if (application) {
    let applicationId: string;
    try {
      applicationId = decodeURIComponent(application[1]);
    } catch {
      return undefined; // not an id: the console's 404
    }
    return movedTo(`${WORKSPACE_APPLICATIONS}/${encodeURIComponent(applicationId)}`);
  }
  if (rest !== '') return undefined;
  const query = new URLSearchParams();
  for (const [old, now] of Object.entries(OLD_FILTERS)) {
    const value = url.searchParams.get(old)?.trim();
    if (value) query.set(now, old === 'status' ? value.toUpperCase() : value);
  }
  const search = query.toString();
  return search || url.searchParams.has('stage')
    ? movedTo(`${WORKSPACE_APPLICATIONS}${search ? `?${search}` : ''}`)
    : undefined;
}

/** The console's own pages; undefined for a path it does not have. */
async function consolePage(
  deps: ConsoleDeps & { store: ConsoleStore },
  rest: string,
  url: URL,
  options: PageOptions,
): Promise<Answer | undefined> {
  if (rest === '') return homePage(deps, options);
  if (rest === '/executions') return executionsPage(deps, url, options);
  if (rest === '/mailbox') return mailboxPage(deps.store, url, options);
  if (rest === '/sweep') return sweepPage(deps.sweepRuns, options);
  const execution = /^\/executions\/([^/]+)$/.exec(rest);
  if (execution) return executionPage(deps, execution[1], options);
  return undefined;
}

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
      return (
        movedPage(rest, url) ??
        (await consolePage(withStore, rest, url, options)) ??
        problem(404, 'Not found', `Nothing at ${path}`, options)
      );
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
