/**
 * The console's home, GET /_local/console: the tools only local mode has (the simulated clock, the
 * executions, the mailbox, the sweep's runs), each with what it holds now. The applications are
 * not here: staff read them in the workspace, which serves local mode and AWS alike, and this page
 * says where.
 */
import type { ConsoleStore } from './data';
import { listExecutions, type ExecutionsDeps } from './executions';
import { beijing, escapeHtml, href, htmlAnswer, WORKSPACE_APPLICATIONS, type Answer, type PageOptions } from './html';
import type { SweepRuns } from './sweep';

export type HomeDeps = ExecutionsDeps & { store: ConsoleStore; sweepRuns?: SweepRuns };

/** How many executions are in a status (the failed ones are what an administrator looks for). */
async function countExecutions(deps: ExecutionsDeps, status: string): Promise<string> {
  const { executions, truncated } = await listExecutions(deps, status);
  return `${executions.length}${truncated ? '+' : ''}`;
}

function clockSection(options: PageOptions): string {
  const now = options.clock?.now() ?? new Date();
  return `<h2>模拟时钟 The clock</h2>
<p>现在 Now: <strong>${escapeHtml(beijing(now))}</strong> 北京时间 Beijing time${options.clock?.frozen ? ' · 已冻结 frozen' : ''}. 所有申请、任务与邮件的时间都以它为准 Every application, task and email is timed on it.</p>
<p class="small">读取 Read it: <code>GET /_local/clock</code> · 调整（并运行定时清扫）Move it (and run the sweep): <code>POST /_local/clock</code> <code>{"now": "2023-09-25T23:59:59+08:00"}</code></p>`;
}

async function executionsItem(deps: ExecutionsDeps): Promise<string> {
  const [running, failed] = await Promise.all([countExecutions(deps, 'RUNNING'), countExecutions(deps, 'FAILED')]);
  const failedLink =
    failed !== '0'
      ? `<a href="${href('/executions', { status: 'FAILED' })}">${failed} 失败 failed</a>`
      : '0 失败 failed';
  return `<li><a href="${href('/executions')}"><strong>工作流执行 Executions</strong></a>: 状态机的每次执行、输入输出与完整历史，申请的全部执行与工作流现状 every execution of the state machine, its input, output and full history; an application's executions and what its workflow does now. <span class="small">${running} 运行中 running · ${failedLink}</span></li>`;
}

function mailboxItem(store: ConsoleStore): string {
  return `<li><a href="${href('/mailbox')}"><strong>邮件 Mailbox</strong></a>: 本地发出的每封邮件及正文，可按收件人或申请筛选 every email local mode sent, bodies shown, by recipient or application. <span class="small">${store.mailbox().length} 封 email(s)</span></li>`;
}

function sweepItem(runs: SweepRuns | undefined): string {
  const last = runs?.last()[0];
  const when = last
    ? `上次 last run ${escapeHtml(beijing(last.at))}${last.error ? ' · <span class="err">失败 failed</span>' : ''}`
    : '尚无记录 none yet';
  return `<li><a href="${href('/sweep')}"><strong>定时清扫 Sweep</strong></a>: 最近的运行及每次所做的事 its last runs and what each did. <span class="small">${when}</span></li>`;
}

export async function homePage(deps: HomeDeps, options: PageOptions): Promise<Answer> {
  const content = `<h1>本地控制台 Local console</h1>
<p class="note">申请在工作台中查看（本地与 AWS 相同）Applications are read in the staff workspace, locally and on AWS alike: <a href="${escapeHtml(WORKSPACE_APPLICATIONS)}">${escapeHtml(WORKSPACE_APPLICATIONS)}</a>. 这里只有本地模式才有的工具 This console keeps what only local mode has.</p>
${clockSection(options)}
<h2>工具 Tools</h2>
<ul>
${await executionsItem(deps)}
${mailboxItem(deps.store)}
${sweepItem(deps.sweepRuns)}
</ul>`;
  return htmlAnswer(200, '本地控制台 Local console', content, { ...options, section: '/' });
}
