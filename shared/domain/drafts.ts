import * as z from './zod';
import { DomainError } from './errors';
import { fieldDetails } from './field-details';

/**
 * A unit's unfinished application (申请书 draft), kept on the server so a secretary who starts on a
 * desk computer can carry on from a phone. A draft is not an application: it takes none of the
 * unit's slots, is never checked against the call's rules when saved (half a form is normal), and
 * becomes an application only through `POST /calls/{callId}/applications`.
 */

/** Ids are made by the browser (a random UUID), so creating a draft is an idempotent PUT. */
export const DRAFT_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Drafts a unit may keep: a unit applies for at most a handful of projects a year. */
export const MAX_DRAFTS_PER_UNIT = 20;
/** The form as JSON text: well below DynamoDB's 400 KB item, with room for the rest of the item. */
export const MAX_DRAFT_FORM_BYTES = 200_000;

const DraftBodySchema = z.strictObject({
  callId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** the version this save was made from: 0 for a new draft; a stale one is refused, not overwritten */
  version: z.int().check(z.gte(0)),
  /** whatever the form holds so far: checked for size only */
  form: z.record(z.string(), z.unknown()),
});

export interface DraftInput {
  callId: string;
  version: number;
  form: Record<string, unknown>;
}

export interface DraftRecord {
  draftId: string;
  unitId: string;
  callId: string;
  /** the project type picked so far, and the title typed so far, for the unit's list of drafts */
  projectTypeId?: string;
  title?: string;
  form: Record<string, unknown>;
  version: number;
  savedAt: string;
}

export type DraftSummary = Omit<DraftRecord, 'form'>;

export function requireDraftId(draftId: string): string {
  if (DRAFT_ID.test(draftId)) return draftId;
  throw new DomainError('VALIDATION_FAILED', 'Invalid draft id', [
    { path: 'path.draftId', code: 'INVALID_VALUE', message: '8–64 characters of A–Z, a–z, 0–9, _ and -' },
  ]);
}

/** Reads a save request: every bad field named. */
export function readDraftInput(body: unknown): DraftInput {
  const parsed = DraftBodySchema.safeParse(body);
  if (!parsed.success) {
    const details = fieldDetails(parsed.error.issues, [], 'the draft');
    throw new DomainError('VALIDATION_FAILED', `The draft has ${details.length} problem(s)`, details);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(parsed.data.form)).length;
  if (bytes > MAX_DRAFT_FORM_BYTES)
    throw new DomainError('VALIDATION_FAILED', 'The draft is too large', [
      { path: 'form', code: 'TOO_LARGE', message: `must be at most ${MAX_DRAFT_FORM_BYTES} bytes as JSON` },
    ]);
  return parsed.data;
}

const shortText = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined;

/** The next version of a draft, as saved at `savedAt`. */
export function nextDraft(unitId: string, draftId: string, input: DraftInput, savedAt: string): DraftRecord {
  return {
    draftId,
    unitId,
    callId: input.callId,
    projectTypeId: shortText(input.form.projectTypeId, 100),
    title: shortText(input.form.title, 200),
    form: input.form,
    version: input.version + 1,
    savedAt,
  };
}
