import { stringify } from 'csv-stringify/sync';

/**
 * A CSV staff open in a spreadsheet: a header row in Chinese and English, Windows line ends, and a
 * UTF-8 byte order mark, without which Excel reads the Chinese text as another encoding.
 *
 * Its cells carry text applicants and staff typed (titles, unit names): a cell that starts with
 * = + - @, a tab or a carriage return (or their full-width forms) is a formula to the spreadsheet
 * that opens the file, so csv-stringify's `escape_formulas` writes such text with a leading
 * apostrophe. It leaves number values alone (a negative amount stays a number), so columns of
 * numbers must be given as numbers, not as text.
 */
export function spreadsheetCsv<T extends object>(
  rows: readonly T[],
  columns: readonly { key: keyof T & string; header: string }[],
): string {
  return stringify([...rows] as unknown as Record<string, unknown>[], {
    bom: true,
    header: true,
    record_delimiter: 'windows',
    escape_formulas: true,
    columns: columns.map((c) => ({ ...c })),
  });
}
