import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import { unitKey, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import type { StandingBreach } from '@shared/domain/obligations';
import type { StandingLogEntry } from '@shared/domain/standing';

export interface UnitProfile {
  unitId: string;
  name?: { zh: string; en: string };
  email?: string;
  barred: boolean;
  barredReason?: string;
  standingUpdatedAt?: string;
  standingUpdatedBy?: string;
  /** every standing staff set, with who and when (a lift of a computed bar among them, with what it covered) */
  standingLog?: StandingLogEntry[];
}

export async function getUnit(unitId: string): Promise<UnitProfile | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: unitKey(unitId), ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  return withoutKeys<UnitProfile>(result.Item);
}

/** Seeds a unit's profile without overwriting a standing staff have since changed. */
export async function seedUnit(profile: UnitProfile): Promise<void> {
  await conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...unitKey(profile.unitId), ...profile },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/** Registers a unit or updates its name and address; its standing stays as it is (not barred when new). */
export async function putUnitProfile(
  unitId: string,
  profile: { name: { zh: string; en: string }; email: string },
  at: string,
): Promise<UnitProfile> {
  const result = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: unitKey(unitId),
      UpdateExpression:
        'SET #unitId = :unitId, #name = :name, #email = :email, #barred = if_not_exists(#barred, :false), #updatedAt = :at',
      ExpressionAttributeNames: {
        '#unitId': 'unitId',
        '#name': 'name',
        '#email': 'email',
        '#barred': 'barred',
        '#updatedAt': 'updatedAt',
      },
      ExpressionAttributeValues: {
        ':unitId': unitId,
        ':name': profile.name,
        ':email': profile.email,
        ':false': false,
        ':at': at,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return withoutKeys<UnitProfile>(result.Attributes ?? {});
}

export async function setStanding(
  unitId: string,
  standing: { barred: boolean; reason?: string; lifted?: StandingBreach[] },
  by: string,
  at: string,
): Promise<UnitProfile> {
  const result = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: unitKey(unitId),
      UpdateExpression:
        'SET #unitId = :unitId, #barred = :barred, #reason = :reason, #at = :at, #by = :by, #log = list_append(if_not_exists(#log, :none), :entry)',
      ExpressionAttributeNames: {
        '#unitId': 'unitId',
        '#barred': 'barred',
        '#reason': 'barredReason',
        '#at': 'standingUpdatedAt',
        '#by': 'standingUpdatedBy',
        '#log': 'standingLog',
      },
      ExpressionAttributeValues: {
        ':unitId': unitId,
        ':barred': standing.barred,
        ':reason': standing.reason ?? null,
        ':at': at,
        ':by': by,
        ':none': [],
        ':entry': [
          {
            barred: standing.barred,
            ...(standing.reason ? { reason: standing.reason } : {}),
            by,
            at,
            ...(standing.lifted ? { lifted: standing.lifted } : {}),
          },
        ],
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return withoutKeys<UnitProfile>(result.Attributes ?? {});
}
