import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import { GSI1, UNITS, unitKey, unitListIndex, withoutKeys } from '@shared/adapters/dynamodb/keys';
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

/**
 * Seeds a unit's profile without overwriting a standing staff have since changed. A profile stored
 * before profiles were listed gets its place in the list (GSI1), and nothing else.
 */
export async function seedUnit(profile: UnitProfile): Promise<void> {
  const created = await conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...unitKey(profile.unitId), ...unitListIndex(profile.unitId), ...profile },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
  if (!created) await listUnit(profile.unitId);
}

/** Puts a stored profile into the list (GSI1), if it is not there yet. */
async function listUnit(unitId: string): Promise<void> {
  await conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: unitKey(unitId),
        UpdateExpression: 'SET #gpk = :gpk, #gsk = :gsk',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#gpk)',
        ExpressionAttributeNames: { '#gpk': 'GSI1PK', '#gsk': 'GSI1SK' },
        ExpressionAttributeValues: listed(unitId),
      }),
    ),
  );
}

/** The list's keys (GSI1) as the values of an update's `#gpk` and `#gsk`: every write of a profile sets them. */
const listed = (unitId: string) => {
  const index = unitListIndex(unitId);
  return { ':gpk': index.GSI1PK, ':gsk': index.GSI1SK };
};

/** One page of the units, by id, after `after` (a Query on GSI1, never a Scan). */
export async function listUnitPage(limit: number, after?: string): Promise<{ units: UnitProfile[]; next?: string }> {
  const result = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      IndexName: GSI1,
      KeyConditionExpression: after ? 'GSI1PK = :units AND GSI1SK > :after' : 'GSI1PK = :units',
      ExpressionAttributeValues: { ':units': UNITS, ...(after ? { ':after': after } : {}) },
      Limit: limit,
    }),
  );
  const units = (result.Items ?? []).map((item) => withoutKeys<UnitProfile>(item));
  return { units, ...(result.LastEvaluatedKey ? { next: units.at(-1)?.unitId } : {}) };
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
        'SET #unitId = :unitId, #name = :name, #email = :email, #barred = if_not_exists(#barred, :false), #updatedAt = :at, #gpk = :gpk, #gsk = :gsk',
      ExpressionAttributeNames: {
        '#gpk': 'GSI1PK',
        '#gsk': 'GSI1SK',
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
        ...listed(unitId),
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
        'SET #unitId = :unitId, #barred = :barred, #reason = :reason, #at = :at, #by = :by, #log = list_append(if_not_exists(#log, :none), :entry), #gpk = :gpk, #gsk = :gsk',
      ExpressionAttributeNames: {
        '#gpk': 'GSI1PK',
        '#gsk': 'GSI1SK',
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
        ...listed(unitId),
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
