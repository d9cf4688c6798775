import { randomUUID } from 'node:crypto';
import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';

/**
 * A society's drafts through HTTP: kept per unit, resumable from another device, never taking a
 * slot; a save from an older version is refused rather than overwriting; the cap holds when many
 * drafts are created at once; submitting a draft twice (a double click, a second device) gives one
 * application.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const UNIT = 'gd-chemistry-society';
const OTHER = 'gd-physics-society';

const save = (token: string, draftId: string, version: number, form: Record<string, unknown>, callId = CALL) =>
  api.request('PUT', `/units/me/drafts/${draftId}`, { token, body: { callId, version, form } });

test('a draft is saved, listed without its form, read back whole, and belongs to its unit alone', async () => {
  const token = await api.unitToken(UNIT);
  const draftId = randomUUID();
  const first = await save(token, draftId, 0, { title: '  岭南论坛  ', projectTypeId: 'lingnan-forum' });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ draftId, version: 1, title: '岭南论坛', projectTypeId: 'lingnan-forum' });
  expect(first.body.form).toBeUndefined();

  const second = await save(token, draftId, 1, { title: '岭南论坛（第二稿）', details: { offlineAttendance: 150 } });
  expect(second.status).toBe(200);
  expect(second.body.version).toBe(2);

  const list = await api.request('GET', '/units/me/drafts', { token });
  expect(list.status).toBe(200);
  const mine = list.body.drafts.find((d: any) => d.draftId === draftId);
  expect(mine).toMatchObject({ version: 2, title: '岭南论坛（第二稿）', callId: CALL });
  expect(mine.form).toBeUndefined();

  const read = await api.request('GET', `/units/me/drafts/${draftId}`, { token });
  expect(read.status).toBe(200);
  expect(read.body.form).toEqual({ title: '岭南论坛（第二稿）', details: { offlineAttendance: 150 } });

  const otherToken = await api.unitToken(OTHER);
  expect((await api.request('GET', `/units/me/drafts/${draftId}`, { token: otherToken })).status).toBe(404);
  expect((await api.request('GET', '/units/me/drafts', { token: otherToken })).body.drafts).toEqual([]);
  const staff = await api.request('GET', '/units/me/drafts', { token: await api.staffToken() });
  expect(staff.status).toBe(403);
});

test('a save from an older version is refused with 409 DRAFT_CHANGED and the stored draft stays', async () => {
  const token = await api.unitToken(UNIT);
  const draftId = randomUUID();
  expect((await save(token, draftId, 0, { title: 'A' })).status).toBe(200);
  expect((await save(token, draftId, 1, { title: 'B (phone)' })).status).toBe(200);
  const stale = await save(token, draftId, 1, { title: 'C (desk, older)' });
  expect(stale.status).toBe(409);
  expect(stale.body.error.code).toBe('DRAFT_CHANGED');
  expect(stale.body.error.details[0]).toMatchObject({ path: 'version', code: 'DRAFT_CHANGED' });
  expect(stale.body.error.details[0].message).toContain('version is 2');
  const recreated = await save(token, draftId, 0, { title: 'D' });
  expect(recreated.status).toBe(409);
  const read = await api.request('GET', `/units/me/drafts/${draftId}`, { token });
  expect(read.body).toMatchObject({ version: 2, form: { title: 'B (phone)' } });
});

test('bad input gets a 400 naming every bad field, and saves nothing', async () => {
  const token = await api.unitToken(UNIT);
  const draftId = randomUUID();
  const bad = await api.request('PUT', `/units/me/drafts/${draftId}`, {
    token,
    body: { callId: 42, version: -1, form: 'text', extra: true },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['callId', 'extra', 'form', 'version']);
  const unknownCall = await save(token, draftId, 0, {}, 'no-such-call');
  expect(unknownCall.status).toBe(400);
  expect(unknownCall.body.error.details).toEqual([expect.objectContaining({ path: 'callId' })]);
  const tooLarge = await save(token, draftId, 0, { summary: 'x'.repeat(210_000) });
  expect(tooLarge.status).toBe(400);
  expect(tooLarge.body.error.details).toEqual([expect.objectContaining({ path: 'form', code: 'TOO_LARGE' })]);
  const badId = await save(token, 'a/b', 0, {});
  expect([400, 404]).toContain(badId.status);
  const shortId = await save(token, 'short', 0, {});
  expect(shortId.status).toBe(400);
  expect(shortId.body.error.details).toEqual([expect.objectContaining({ path: 'path.draftId' })]);
  expect((await api.request('GET', `/units/me/drafts/${draftId}`, { token })).status).toBe(404);
});

test('the cap of 20 drafts holds when 30 are created at once; a deleted draft frees its place', async () => {
  const token = await api.unitToken('gd-mechanical-engineering-society');
  const ids = Array.from({ length: 30 }, () => randomUUID());
  const answers = await Promise.all(ids.map((id) => save(token, id, 0, { title: id })));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(20);
  expect(statuses.filter((s) => s === 409)).toHaveLength(10);
  expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('UNIT_LIMIT_REACHED');
  const list = await api.request('GET', '/units/me/drafts', { token });
  expect(list.body.drafts).toHaveLength(20);

  const saved = ids.filter((_, i) => statuses[i] === 200);
  const [deleted, again] = await Promise.all([
    api.request('DELETE', `/units/me/drafts/${saved[0]}`, { token }),
    api.request('DELETE', `/units/me/drafts/${saved[0]}`, { token }),
  ]);
  expect([deleted.body.deleted, again.body.deleted].sort()).toEqual([false, true]);
  expect((await save(token, randomUUID(), 0, { title: 'one more' })).status).toBe(200);
  expect((await save(token, randomUUID(), 0, { title: 'one too many' })).status).toBe(409);
});

test('a draft takes no slot, and submitting it twice with its key gives one application', async () => {
  const token = await api.unitToken(UNIT);
  const draftId = randomUUID();
  const form = example('lingnan-forum');
  expect((await save(token, draftId, 0, form)).status).toBe(200);
  const before = await api.request('GET', `/units/me/applications?callId=${CALL}`, { token });
  expect(before.body.applications).toEqual([]);

  const submit = () =>
    api.request('POST', `/calls/${CALL}/applications`, {
      token,
      body: form,
      headers: { 'Idempotency-Key': `draft-${draftId}` },
    });
  const [a, b] = await Promise.all([submit(), submit()]);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].sort()).toEqual([null, 'true']);
  expect(a.body.applicationId).toBe(b.body.applicationId);
  const after = await api.request('GET', `/units/me/applications?callId=${CALL}`, { token });
  expect(after.body.applications).toHaveLength(1);
  expect((await api.request('DELETE', `/units/me/drafts/${draftId}`, { token })).body.deleted).toBe(true);
});
