import { useLocalStack } from '../support/e2e';

/** The expert pool (评审专家库) as staff manage it over HTTP: seeded from seeds/experts.json. */
const stack = useLocalStack();
const { api } = stack;

test('the expert pool: staff list it (seeded, a page at a time) and add or change an expert; units may not', async () => {
  const staff = await api.staffToken();
  const first = await api.request('GET', '/experts?limit=50', { token: staff });
  expect(first.status).toBe(200);
  expect(first.body.experts).toHaveLength(50);
  const rest = await api.request('GET', `/experts?limit=500&after=${first.body.next}`, { token: staff });
  expect(first.body.experts.length + rest.body.experts.length).toBeGreaterThanOrEqual(60);
  const added = await api.request('PUT', '/experts/exp-test-1', {
    token: staff,
    body: {
      name: '测试专家',
      email: 'test.expert@university.example.org',
      affiliation: '华南理工大学',
      unitIds: ['gd-physics-society'],
      disciplines: ['物理学'],
      maxLoad: 6,
    },
  });
  expect(added.status).toBe(201);
  const changed = await api.request('PUT', '/experts/exp-test-1', {
    token: staff,
    body: { ...added.body, expertId: undefined, updatedAt: undefined, updatedBy: undefined, maxLoad: 8 },
  });
  expect(changed.status).toBe(200);
  expect(changed.body.maxLoad).toBe(8);
  const bad = await api.request('PUT', '/experts/exp-test-2', {
    token: staff,
    body: { name: '', email: 'nope', disciplines: [], maxLoad: 0 },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(['name', 'email', 'affiliation', 'unitIds', 'disciplines', 'maxLoad']),
  );
  expect((await api.request('GET', '/experts', { token: await api.unitToken('gd-physics-society') })).status).toBe(403);
  expect((await api.request('GET', '/experts?limit=0', { token: staff })).status).toBe(400);
});
