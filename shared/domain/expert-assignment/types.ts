/** The inputs and the answer of the expert assignment (see assign.ts for the rules). */
export interface ReviewCandidate {
  applicationId: string;
  unitId: string;
  discipline: string;
  /** people the application names: lead, contact, speakers, main-forum experts */
  namedPeople: string[];
  /** the unit asked to avoid these (names, at most 3) */
  expertsToAvoid: string[];
  /** experts already assigned (kept) */
  assigned?: string[];
}

export interface AssignmentOptions {
  perApplication: number;
  /** the load each expert already carries, by expertId (including any `assigned` experts); absent = 0 */
  load?: Map<string, number>;
}

export interface AssignmentSummary {
  applications: number;
  /** distinct experts on at least one application */
  expertsUsed: number;
  /** over the experts used: their load after this assignment, counting `options.load` */
  load: { min: number; max: number; mean: number };
  /** the share of review places whose expert works in the application's discipline (1 when there are none) */
  disciplineMatchRate: number;
}

export interface UnservedApplication {
  applicationId: string;
  reason: string;
}

export type AssignmentResult =
  | { ok: true; assignments: Map<string, string[]>; summary: AssignmentSummary }
  | { ok: false; unserved: UnservedApplication[] };
