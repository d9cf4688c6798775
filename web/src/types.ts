import type { ApplicationStatus, AwardDecision } from '@shared/domain/application-record';
import type { ObligationState } from '@shared/domain/obligations';

/** The API's answers as the pages read them (the fields they use). */
export interface ApplicationSummary {
  applicationId: string;
  callId: string;
  unitId: string;
  projectTypeId: string;
  status: ApplicationStatus;
  title: string;
  paperCopy?: { receivedOn: string };
  staffReturn?: { reasons: string[]; correctionDueAt: string };
  createdAt: string;
}

export interface ApplicationView extends Omit<ApplicationSummary, 'title'> {
  form: Record<string, unknown>;
  formalCheck?: {
    passed: boolean;
    reasons: Array<{ requirementId: string; path: string; text: { zh: string; en: string } }>;
  };
  outcome?: { result: string; reason?: string; at: string };
  /** the experts' score (units never see who gave what) */
  score?: number;
  /** the confirmed award decision: rank among the type's scored applications, the quota, the amount */
  award?: AwardDecision;
  history: Array<{ stage: string; result: string; at: string }>;
  version: number;
}

export interface DraftSummary {
  draftId: string;
  callId: string;
  projectTypeId?: string;
  title?: string;
  version: number;
  savedAt: string;
}

export interface Draft extends DraftSummary {
  form: Record<string, unknown>;
}

export interface ObligationView {
  applicationId: string;
  callId: string;
  title: string;
  obligationId: string;
  /** the report it asks for; none for a duty with nothing to hand in */
  kind?: string;
  text: { zh: string; en: string };
  state: ObligationState;
  dueAt?: string;
  dueOn?: string;
  submissions?: number;
  dueFrom?: 'forum-end' | 'project-end' | 'reporting-round';
  fromDate?: string;
  review?: { answer: 'accept' | 'return'; reasons?: string[]; at: string };
  /** a summary report's performance targets, with what its latest version says was achieved */
  targets?: Array<{ path: string; indicator: string; target: string; achieved?: string; met?: boolean }>;
}

/** `POST …/reports/{kind}/attachments`: where and how to upload one file, and the key a report names it by. */
export interface UploadGrant {
  key: string;
  fileName: string;
  upload: { url: string; method: string; headers: Record<string, string>; expiresAt: string };
}

/** `GET /calls`: each call's summary, whether it takes submissions at `now` (the product's clock). */
export interface CallListing {
  now: string;
  calls: Array<{ callId: string; submission: 'not-open' | 'open' | 'closed' }>;
}
