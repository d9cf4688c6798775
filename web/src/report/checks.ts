import type { ReportKind } from '@shared/domain/catalogue/project-type';
import { readReport } from '@shared/domain/obligations/report-fields';
import { useState } from 'preact/hooks';
import type { Problem } from '../form/checks';
import type { ObligationView } from '../types';
import { reportProblem } from './problems';
import type { Upload } from './upload';

/** The files handed in with a report: those uploaded, by the key each was stored under. */
export const attachmentsOf = (done: readonly Upload[]) => done.map((u) => ({ key: u.key }));

/** What is wrong with the report as typed: the domain's reading of it, and no PDF among the files uploaded. */
export function reportProblems(
  kind: ReportKind,
  targets: ObligationView['targets'],
  fields: Record<string, unknown>,
  done: readonly Upload[],
): Problem[] {
  const checked = readReport({ report: kind, targets: targets ?? [] }, { fields, attachments: attachmentsOf(done) });
  const problems: Problem[] = [...(checked.ok ? [] : checked.details.map(reportProblem))];
  if (done.length && !done.some((u) => u.contentType === 'application/pdf'))
    problems.push({
      path: 'attachments',
      text: { zh: '须上传签章的报告PDF', en: 'attach the signed report as a PDF' },
    });
  return problems;
}

/**
 * Which problems the form shows: the API's (until the field they name is changed) always, the
 * form's own under a field once it was left, and all of them once the report was handed in.
 */
export function useShownProblems() {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [apiProblems, setApiProblems] = useState<Problem[]>([]);
  const isShown = (path: string, p: Problem) => showAll || touched.has(path) || apiProblems.includes(p);
  return {
    showAll,
    showEvery: () => setShowAll(true),
    touch: (path: string) => setTouched((s) => new Set([...s, path])),
    setApiProblems,
    /** Forgets the API's problems at the paths given (what they named was changed). */
    forgetApiProblems: (at: (path: string) => boolean) => setApiProblems((ps) => ps.filter((p) => !at(p.path))),
    /** What to show of the problems the form finds itself, with the API's before them. */
    view(problems: readonly Problem[]) {
      const all = [...apiProblems, ...problems.filter((p) => !apiProblems.some((a) => a.path === p.path))];
      return {
        shown: (path: string) =>
          all.filter((p) => (p.path === path || p.path.startsWith(`${path}.`)) && isShown(path, p)),
        count: all.filter((p) => isShown(p.path, p)).length,
        unplaced: apiProblems.filter((p) => !p.path.startsWith('fields.') && !p.path.startsWith('attachments')),
      };
    },
  };
}
