import { DomainError } from '@shared/domain/errors';
import { MAX_DRAFT_FORM_BYTES, nextDraft, readDraftInput, requireDraftId } from '@shared/domain/drafts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
};

test('a save names every bad field', () => {
  const error = refusal(() => readDraftInput({ callId: '', version: 1.5, form: [], extra: 1 }));
  expect(error.code).toBe('VALIDATION_FAILED');
  expect(error.details.map((d) => d.path).sort()).toEqual(['callId', 'extra', 'form', 'version']);
});

test('a form is checked for size only: half a form is a normal draft', () => {
  expect(readDraftInput({ callId: 'gdast-2024', version: 0, form: { title: '' } }).form).toEqual({ title: '' });
  const big = refusal(() =>
    readDraftInput({ callId: 'gdast-2024', version: 0, form: { summary: '字'.repeat(MAX_DRAFT_FORM_BYTES / 3) } }),
  );
  expect(big.details).toEqual([expect.objectContaining({ path: 'form', code: 'TOO_LARGE' })]);
});

test('draft ids are the client’s, from 8 to 64 safe characters', () => {
  expect(requireDraftId('0b9c1d7e-4f6a-4b1e-9c3d-2a5f7e8b9c0d')).toBeTruthy();
  for (const bad of ['short', 'a/b/c/d/e', 'x'.repeat(65), '../../etc'])
    expect(refusal(() => requireDraftId(bad)).details[0].path).toBe('path.draftId');
});

test('the next version keeps the type and a trimmed title for the list', () => {
  const draft = nextDraft(
    'gd-physics-society',
    'draft-0001',
    { callId: 'gdast-2024', version: 3, form: { projectTypeId: 'lingnan-forum', title: '  论坛  ', lead: 7 } },
    '2023-09-01T09:00:00+08:00',
  );
  expect(draft).toMatchObject({
    version: 4,
    projectTypeId: 'lingnan-forum',
    title: '论坛',
    unitId: 'gd-physics-society',
  });
  expect(nextDraft('u', 'draft-0001', { callId: 'c', version: 0, form: { title: 3 } }, 'at').title).toBeUndefined();
});
