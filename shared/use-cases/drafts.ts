import { getCall } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import {
  MAX_DRAFTS_PER_UNIT,
  nextDraft,
  readDraftInput,
  requireDraftId,
  type DraftRecord,
  type DraftSummary,
} from '@shared/domain/drafts';
import { DomainError, notFound } from '@shared/domain/errors';
import { requireUnit, type Caller } from '@shared/domain/identity';
import { deleteDraft, getDraft, listDrafts, saveDraft } from '@shared/adapters/dynamodb/draft-items';

/** `GET /units/me/drafts`: the unit's drafts, newest first, without their forms. */
export async function listMyDrafts(caller: Caller): Promise<DraftSummary[]> {
  return listDrafts(requireUnit(caller).unitId);
}

/** `GET /units/me/drafts/{draftId}`: one draft with its form; another unit's is 404 like a missing one. */
export async function getMyDraft(caller: Caller, draftId: string): Promise<DraftRecord> {
  const unit = requireUnit(caller);
  const draft = await getDraft(unit.unitId, requireDraftId(draftId));
  if (!draft) throw notFound(`Draft ${draftId}`);
  return draft;
}

/**
 * `PUT /units/me/drafts/{draftId}` `{callId, version, form}`: saves the form as it is, from the
 * version the browser last had. A save from an older version (another device saved meanwhile) is
 * refused with the version now stored, so the browser can offer to load it; nothing is overwritten.
 */
export async function saveMyDraft(caller: Caller, draftId: string, body: unknown, at: Date = now()) {
  const unit = requireUnit(caller);
  requireDraftId(draftId);
  const input = readDraftInput(body);
  if (!getCall(input.callId))
    throw new DomainError('VALIDATION_FAILED', 'The draft names no call there is', [
      { path: 'callId', code: 'INVALID_VALUE', message: `no call ${input.callId}` },
    ]);
  const draft = nextDraft(unit.unitId, draftId, input, toBeijingIso(at));
  const saved = await saveDraft(draft, MAX_DRAFTS_PER_UNIT);
  if (saved === 'limit')
    throw new DomainError('UNIT_LIMIT_REACHED', `A unit keeps at most ${MAX_DRAFTS_PER_UNIT} drafts`, [
      { path: 'path.draftId', code: 'UNIT_LIMIT_REACHED', message: 'delete a draft you no longer need first' },
    ]);
  if (saved === 'stale') {
    const current = await getDraft(unit.unitId, draftId);
    throw new DomainError('DRAFT_CHANGED', 'The draft was saved meanwhile, from another window or device', [
      {
        path: 'version',
        code: 'DRAFT_CHANGED',
        message: current
          ? `the stored version is ${current.version}, saved at ${current.savedAt}`
          : 'the draft no longer exists (it was submitted or deleted)',
      },
    ]);
  }
  const { form: _form, ...summary } = draft;
  return summary;
}

/** `DELETE /units/me/drafts/{draftId}`: once submitted or given up; deleting it again changes nothing. */
export async function deleteMyDraft(caller: Caller, draftId: string): Promise<{ deleted: boolean }> {
  const unit = requireUnit(caller);
  return { deleted: await deleteDraft(unit.unitId, requireDraftId(draftId)) };
}
