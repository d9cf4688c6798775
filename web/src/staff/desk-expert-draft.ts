import type { Expert } from '@shared/domain/experts';

/** The form as typed: lists as text, one item a line (or separated by commas). */
export interface ExpertDraft {
  expertId: string;
  name: string;
  email: string;
  affiliation: string;
  disciplines: string;
  unitIds: string;
  maxLoad: string;
}

export const EMPTY: ExpertDraft = {
  expertId: '',
  name: '',
  email: '',
  affiliation: '',
  disciplines: '',
  unitIds: '',
  maxLoad: '10',
};

/** The fields `PUT /experts/{expertId}` may name in its refusal. */
export const EXPERT_FIELDS = ['expertId', 'name', 'email', 'affiliation', 'disciplines', 'unitIds', 'maxLoad'];

const listOf = (text: string) =>
  text
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A number as typed, or the text itself when it is none, so the API names the problem. */
const numberOf = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

export const draftOf = (expert: Expert): ExpertDraft => ({
  expertId: expert.expertId,
  name: expert.name,
  email: expert.email,
  affiliation: expert.affiliation,
  disciplines: expert.disciplines.join('\n'),
  unitIds: expert.unitIds.join('\n'),
  maxLoad: String(expert.maxLoad),
});

/** The body of `PUT /experts/{expertId}` for the draft. */
export const bodyOf = (draft: ExpertDraft) => ({
  name: draft.name,
  email: draft.email.trim(),
  affiliation: draft.affiliation,
  disciplines: listOf(draft.disciplines),
  unitIds: listOf(draft.unitIds),
  maxLoad: numberOf(draft.maxLoad),
});
