/**
 * The deadline sweep's last runs, as local mode records them (its timer, and every move of the
 * clock, run it): when on the simulated clock, how long it took, and what it did (the counts the
 * sweep answers: started, reminded, expired, recovered, redelivered, failed).
 */
import { now } from '@shared/domain/clock';
import { beijing, escapeHtml, htmlAnswer, type Answer, type PageOptions } from './html';

export interface SweepRun {
  /** the simulated clock when the run began */
  at: Date;
  /** the wall clock when the run began (epoch ms) */
  wallAt: number;
  durationMs: number;
  counts?: Record<string, number>;
  error?: string;
}

/** Keeps the last runs of the sweep (and, apart, the last that did something: most runs do nothing). */
export class SweepRuns {
  private readonly runs: SweepRun[] = [];
  private readonly acted: SweepRun[] = [];

  constructor(private readonly keep = 20) {}

  /** Runs the sweep and records how it went; answers (or throws) what the sweep did. */
  async record<T>(run: () => Promise<T>): Promise<T> {
    const at = now();
    const wallAt = Date.now();
    const entry: SweepRun = { at, wallAt, durationMs: 0 };
    try {
      const result = await run();
      if (result && typeof result === 'object') {
        entry.counts = Object.fromEntries(
          Object.entries(result).filter(([, value]) => typeof value === 'number'),
        ) as Record<string, number>;
      }
      return result;
    } catch (error) {
      entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw error;
    } finally {
      entry.durationMs = Date.now() - wallAt;
      this.push(this.runs, entry);
      if (entry.error || Object.values(entry.counts ?? {}).some((count) => count > 0)) this.push(this.acted, entry);
    }
  }

  /** The recorded runs, newest first. */
  last(): SweepRun[] {
    return [...this.runs].reverse();
  }

  /** The recorded runs that did something (or failed), newest first. */
  lastActive(): SweepRun[] {
    return [...this.acted].reverse();
  }

  private push(list: SweepRun[], entry: SweepRun): void {
    list.push(entry);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
  }
}

const COLUMNS = [
  ['started', '启动 Started'],
  ['reminded', '提醒 Reminded'],
  ['expired', '过期 Expired'],
  ['recovered', '恢复 Recovered'],
  ['redelivered', '重投 Redelivered'],
  ['failed', '失败 Failed'],
] as const;

function runsTable(runs: SweepRun[]): string {
  if (runs.length === 0) return '<p class="muted">尚无记录 None yet.</p>';
  const known = new Set<string>(COLUMNS.map(([key]) => key));
  const rows = runs
    .map((run) => {
      const others = Object.entries(run.counts ?? {})
        .filter(([key]) => !known.has(key))
        .map(([key, value]) => `${escapeHtml(key)} ${escapeHtml(value)}`)
        .join(', ');
      const cells = COLUMNS.map(
        ([key, label]) =>
          `<td class="num" data-label="${escapeHtml(label)}">${run.counts ? escapeHtml(run.counts[key] ?? 0) : '<span class="muted">—</span>'}</td>`,
      ).join('');
      return `<tr${run.error ? ' class="ev-fail"' : ''}>
<td class="time" data-label="时间 When">${escapeHtml(beijing(run.at))}<br><span class="muted small">墙钟 wall clock ${escapeHtml(beijing(run.wallAt, false, false).slice(11))}</span></td>
<td class="num" data-label="耗时 Took">${escapeHtml(run.durationMs)} ms</td>
${cells}
<td data-label="其他 Other">${run.error ? `<span class="err">${escapeHtml(run.error)}</span>` : escapeHtml(others)}</td>
</tr>`;
    })
    .join('\n');
  return `<table class="cards"><thead><tr><th>时间（模拟时钟）When (simulated clock)</th><th class="num">耗时 Took</th>${COLUMNS.map(
    ([, label]) => `<th class="num">${escapeHtml(label)}</th>`,
  ).join('')}<th>其他 Other</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

/** The sweep's last runs: all of them, then those that did something. */
export function sweepSection(runs: SweepRuns | undefined): string {
  if (!runs) return '<p class="muted">此控制台未记录定时清扫 This console does not record the sweep.</p>';
  return `<h2>最近 ${runs.last().length} 次运行 The last runs</h2>
${runsTable(runs.last())}
<h2>最近有动作的运行 The last runs that did something</h2>
${runsTable(runs.lastActive())}`;
}

/** GET /_local/console/sweep */
export function sweepPage(runs: SweepRuns | undefined, options: PageOptions): Answer {
  const content = `<h1>定时清扫 Deadline sweep</h1>
<p class="muted">清扫每隔几秒运行一次（AWS 上每分钟），调整本地时钟时也会运行：启动未启动的工作流、发送提醒、处理过期任务、恢复失败的工作流。The sweep runs every few seconds locally (every minute on AWS) and at every move of the local clock: it starts stalled workflows, sends reminders, expires overdue tasks and recovers failed workflows.</p>
${sweepSection(runs)}`;
  return htmlAnswer(200, '定时清扫 Sweep', content, { ...options, section: '/sweep', refreshSeconds: 10 });
}
