/** What a call's data answers once loaded: a type by id, whether submissions are open, what funding allows. */
import type { Call } from './call-schema';
import type { ProjectType } from './project-type';

export function getProjectType(call: Call, typeId: string): ProjectType | undefined {
  return call.projectTypes.find((t) => t.typeId === typeId);
}

/**
 * Whether the call takes submissions at `now`: open iff opensAt ≤ now ≤ submissionDeadline
 * (the deadline is stored as the last millisecond of its day, Beijing time).
 */
export function submissionOpen(call: Call, now: Date): 'not-open' | 'open' | 'closed' {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('submissionOpen: now is an invalid Date');
  if (t < Date.parse(call.opensAt)) return 'not-open';
  if (t <= Date.parse(call.submissionDeadline)) return 'open';
  return 'closed';
}

/**
 * Whether a request of `requestedCny` is within the type's funding: for a range type,
 * minCny ≤ requested ≤ maxCny; for a fixed type, 0 < requested ≤ amountCny (额度 is the
 * amount awarded per project, so asking for more is refused). Whole yuan only.
 */
export function fundingAllows(type: ProjectType, requestedCny: number): boolean {
  if (!Number.isSafeInteger(requestedCny) || requestedCny <= 0) return false;
  const f = type.funding;
  return f.kind === 'fixed' ? requestedCny <= f.amountCny : requestedCny >= f.minCny && requestedCny <= f.maxCny;
}

/** The funding as people write it: "100000" or "50000–100000". */
export function fundingLabel(type: ProjectType): string {
  const f = type.funding;
  return f.kind === 'fixed' ? `${f.amountCny}` : `${f.minCny}–${f.maxCny}`;
}

/** What `GET /calls` lists of a call: enough to choose one and see its deadlines. */
export function callSummary(call: Call) {
  return {
    callId: call.callId,
    year: call.year,
    documentNo: call.documentNo,
    /** a sample call, not an issued notice: `sampleNote` says so */
    sample: call.sample !== undefined,
    ...(call.sample ? { sampleNote: call.sample.note } : {}),
    title: call.title,
    opensAt: call.opensAt,
    submissionDeadline: call.submissionDeadline,
    paperCopyDeadline: call.paperCopyDeadline,
    projectTypes: call.projectTypes.length,
    awards: call.projectTypes.reduce((sum, type) => sum + type.quota, 0),
  };
}
