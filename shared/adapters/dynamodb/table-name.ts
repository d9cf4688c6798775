import { readEnv } from '@shared/adapters/env';

let tableName: string | undefined;

/** The table's name, read once from TABLE_NAME (set by the CDK grant helper, or by local mode). */
export function table(): string {
  tableName ??= readEnv(['TABLE_NAME']).TABLE_NAME;
  return tableName;
}
