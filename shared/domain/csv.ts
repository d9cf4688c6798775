import { stringify } from 'csv-stringify/sync';

/**
 * A CSV staff open in a spreadsheet: a header row in Chinese and English, Windows line ends, and a
 * UTF-8 byte order mark, without which Excel reads the Chinese text as another encoding.
 */
export function spreadsheetCsv<T extends object>(rows: readonly T[], columns: readonly { key: keyof T & string; header: string }[]): string {
  return stringify([...rows] as unknown as Record<string, unknown>[], {
    bom: true,
    header: true,
    record_delimiter: 'windows',
    columns: columns.map((c) => ({ ...c })),
  });
}
