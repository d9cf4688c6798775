import { spreadsheetCsv } from '@shared/domain/csv';
import { resultsCsv, type ResultRow } from '@shared/use-cases/award';
import { obligationsCsv, type ObligationRow } from '@shared/use-cases/obligations';
import { HOSTILE_TEXTS, readsAsFormula, readsAsNumber, spreadsheetCells } from '../support/spreadsheet';

/**
 * The CSV files staff (and, for published results, anyone) open in a spreadsheet carry text that
 * applicants and staff typed: a title or a unit's name that starts like a formula must arrive as
 * text, and the amounts, ranks, scores and day counts must still arrive as numbers.
 */

/** The column of a header row whose header starts with `zh`. */
const column = (header: string[], zh: string) => {
  const index = header.findIndex((h) => h.startsWith(zh));
  if (index < 0) throw new Error(`no column ${zh} in ${header.join(',')}`);
  return index;
};

/** The cell's text as the user typed it: the escape is one leading apostrophe, nothing else changes. */
const typed = (cell: string) => cell.replace(/^'/, '');

describe('every CSV cell of typed text reads as text in a spreadsheet, every number as a number', () => {
  test('the results (the staff list and the public one are written by the same function)', () => {
    const rows: ResultRow[] = HOSTILE_TEXTS.map((text, i) => ({
      projectTypeId: 'lingnan-forum',
      type: '岭南科学论坛',
      rank: i + 1,
      unitId: `unit-${i}`,
      unit: HOSTILE_TEXTS[HOSTILE_TEXTS.length - 1 - i],
      title: text,
      score: (90 - i).toFixed(2),
      requestedCny: 90_000,
      amountCny: 90_000,
      awarded: i % 2 === 0,
    }));
    const [header, ...cells] = spreadsheetCells(resultsCsv(rows));
    expect(cells).toHaveLength(rows.length);
    expect([header, ...cells].flat().filter(readsAsFormula)).toEqual([]);
    const [title, unit, rank, score, requested, amount] = [
      '项目名称',
      '申报单位',
      '排名',
      '评审得分',
      '申请金额',
      '资助金额',
    ].map((zh) => column(header, zh));
    cells.forEach((cell, i) => {
      expect(typed(cell[title])).toBe(rows[i].title);
      expect(typed(cell[unit])).toBe(rows[i].unit);
      for (const at of [rank, score, requested, amount]) expect(readsAsNumber(cell[at])).toBe(true);
      expect([Number(cell[rank]), cell[score], Number(cell[requested]), Number(cell[amount])]).toEqual([
        rows[i].rank,
        rows[i].score,
        rows[i].requestedCny,
        rows[i].amountCny,
      ]);
    });
  });

  test("the call's overdue reports", () => {
    const rows: ObligationRow[] = HOSTILE_TEXTS.map((text, i) => ({
      applicationId: `app-${i}`,
      unitId: `unit-${i}`,
      unit: HOSTILE_TEXTS[HOSTILE_TEXTS.length - 1 - i],
      title: text,
      obligationId: 'summary-report',
      kind: 'summary',
      dueOn: '2024-07-15',
      state: 'OPEN',
      daysOverdue: i + 1,
    }));
    const [header, ...cells] = spreadsheetCells(obligationsCsv(rows));
    expect(cells).toHaveLength(rows.length);
    expect([header, ...cells].flat().filter(readsAsFormula)).toEqual([]);
    const [title, unit, days] = ['项目名称', '申报单位', '逾期天数'].map((zh) => column(header, zh));
    cells.forEach((cell, i) => {
      expect(typed(cell[title])).toBe(rows[i].title);
      expect(typed(cell[unit])).toBe(rows[i].unit);
      expect(readsAsNumber(cell[days]) && Number(cell[days])).toBe(rows[i].daysOverdue);
    });
  });

  test('a negative number stays a number; the same characters typed as text do not', () => {
    const [, [asNumber, asText]] = spreadsheetCells(
      spreadsheetCsv(
        [{ n: -5, t: '-5' }],
        [
          { key: 'n', header: 'n' },
          { key: 't', header: 't' },
        ],
      ),
    );
    expect(asNumber).toBe('-5');
    expect(asText).toBe("'-5");
  });
});
