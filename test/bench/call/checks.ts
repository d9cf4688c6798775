/**
 * Every count of the measured call, checked at the end: nothing lost, nothing doubled. Each
 * application has exactly one outcome, each panel its experts within their caps and never of the
 * applicant's unit, each email sent once, each execution started once and ended well.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLE } from '@infra/local/local-stack';
import { call, type StoredEmail } from './support';
import { pool } from '../stats';
import type { CallLevelAnswer } from './jobs';
import { isExpertDigest } from './mailbox';
import type { StackLog } from './measure';
import { CALL_ID, type CallPlan, type PlannedApplication } from './population';
import type { CallDriver } from './stages';

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

export interface CheckInput {
  d: CallDriver;
  ids: string[];
  dynamodbUrl: string;
  stackLog: StackLog;
  round: CallLevelAnswer;
  proposal: CallLevelAnswer;
}

const FINAL = new Set(['AWARDED', 'NOT_AWARDED']);
const OUTCOMES = new Set(['AWARDED', 'NOT_AWARDED', 'REJECTED']);
const OUTCOME_STAGES = new Set(['Award', 'Outcome']);
const countOf = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};
const sample = (items: readonly string[]) => (items.length ? ` e.g. ${items.slice(0, 3).join('; ')}` : '');
const check = (what: string, problems: string[], detail: string): Check => ({
  what,
  ok: problems.length === 0,
  detail: problems.length ? `${problems.length} wrong:${sample(problems)}` : detail,
});

/** Runs every check; none throws for a wrong count (each says what it saw). */
export async function checkCall(input: CheckInput): Promise<Check[]> {
  const { d, ids } = input;
  const apps = await pool(ids.length, d.concurrency, async (i) => {
    const read = await d.api.request('GET', `/applications/${ids[i]}`, { token: d.staff });
    if (read.status !== 200) throw new Error(`GET /applications/${ids[i]}: ${read.status}`);
    return read.body as Record<string, any>;
  });
  await d.mail.settle();
  const emails = d.mail.all();
  return [
    checkSubmissions(d.plan, ids),
    await checkOverview(d),
    checkOutcomes(d.plan, apps),
    await checkAwards(d, apps, input.proposal),
    checkPanels(d.plan, apps),
    await checkLoads(d, panelPlaces(apps)),
    checkExpertDigests(emails),
    checkApplicationEmails(d.plan, emails),
    checkDuplicateEmails(emails),
    await checkEmailMarkers(input.dynamodbUrl, emails),
    checkExecutions(ids, input.stackLog),
    checkGatewayErrors(d, { round: input.round, proposal: input.proposal }),
  ];
}

function checkSubmissions(plan: CallPlan, ids: string[]): Check {
  const distinct = new Set(ids).size;
  const problems =
    distinct === plan.applications.length ? [] : [`${distinct} distinct ids for ${plan.applications.length}`];
  return check('each submission answered 201 with its own application id', problems, `${distinct} ids`);
}

/** The call's counts per status, as staff see them: N in all, no one left on the way. */
async function checkOverview(d: CallDriver): Promise<Check> {
  const overview = await d.api.request('GET', `/calls/${CALL_ID}/overview`, { token: d.staff });
  const byStatus = overview.body.byStatus as Record<string, number>;
  const n = d.plan.applications.length;
  const problems: string[] = [];
  if (overview.body.total !== n) problems.push(`total ${overview.body.total}, not ${n}`);
  const outcomes = (byStatus.AWARDED ?? 0) + (byStatus.NOT_AWARDED ?? 0);
  if (outcomes !== d.plan.reviewed) problems.push(`${outcomes} awarded or not, not ${d.plan.reviewed}`);
  if ((byStatus.REJECTED ?? 0) !== n - d.plan.reviewed) problems.push(`${byStatus.REJECTED} rejected`);
  for (const [status, count] of Object.entries(byStatus))
    if (count && !FINAL.has(status) && status !== 'REJECTED') problems.push(`${count} still ${status}`);
  return check('the call counts every application once, each in a final status', problems, JSON.stringify(byStatus));
}

/** Each application's own record: the status its plan expects, and exactly one outcome in its history. */
function checkOutcomes(plan: CallPlan, apps: Record<string, any>[]): Check {
  const problems: string[] = [];
  apps.forEach((app, i) => {
    const planned: PlannedApplication = plan.applications[i];
    const expected = planned.reject ? app.status === 'REJECTED' : FINAL.has(app.status);
    if (!expected) problems.push(`${app.applicationId} ${app.status}`);
    // The outcome's entry: `Award` AWARDED or NOT_AWARDED, or `Outcome` REJECTED.
    const history = app.history as { stage: string; result: string }[];
    const outcomes = history.filter((h) => OUTCOME_STAGES.has(h.stage) && OUTCOMES.has(h.result)).length;
    if (outcomes !== 1) problems.push(`${app.applicationId}: ${outcomes} outcome entries`);
    if (app.outcome?.result !== app.status) problems.push(`${app.applicationId}: outcome ${app.outcome?.result}`);
    if (!planned.reject && app.award?.awarded !== (app.status === 'AWARDED'))
      problems.push(`${app.applicationId}: award ${JSON.stringify(app.award)} but ${app.status}`);
  });
  const awarded = apps.filter((a) => a.status === 'AWARDED').length;
  const detail = `${awarded} AWARDED, ${apps.filter((a) => a.status === 'NOT_AWARDED').length} NOT_AWARDED, ${apps.filter((a) => a.status === 'REJECTED').length} REJECTED (on purpose)`;
  return check('each application has exactly one outcome', problems, detail);
}

/** Per type: as many awarded as the proposal said, never over the quota. */
async function checkAwards(d: CallDriver, apps: Record<string, any>[], proposal: CallLevelAnswer): Promise<Check> {
  // The proposal as its POST answered it, or (made by a job) as staff read it afterwards.
  const body = proposal.job
    ? (await d.api.request('GET', `/calls/${CALL_ID}/award-proposal`, { token: d.staff })).body
    : proposal.answer.body;
  const types = (body?.types ?? []) as { typeId: string; awarded: number; quota: number }[];
  const awarded = countOf(
    apps.filter((a) => a.status === 'AWARDED'),
    (a) => a.projectTypeId,
  );
  const problems: string[] = [];
  for (const type of call().projectTypes) {
    const proposed = types.find((t) => t.typeId === type.typeId);
    const count = awarded.get(type.typeId) ?? 0;
    if (count > type.quota) problems.push(`${type.typeId}: ${count} over its quota ${type.quota}`);
    if (proposed && proposed.awarded !== count)
      problems.push(`${type.typeId}: ${count} awarded, the proposal said ${proposed.awarded}`);
  }
  const total = [...awarded.values()].reduce((a, b) => a + b, 0);
  const said = types.length ? 'as proposed' : 'the proposal read no types: quotas only';
  return check('each type awarded as proposed, within its quota', problems, `${total} awarded, ${said}`);
}

/** Each reviewed application's panel: its size, distinct experts, none of the applicant's own unit. */
function checkPanels(plan: CallPlan, apps: Record<string, any>[]): Check {
  const unitsOf = new Map(plan.experts.map((e) => [e.expertId, new Set(e.body.unitIds)]));
  const problems: string[] = [];
  apps.forEach((app, i) => {
    if (plan.applications[i].reject) return;
    const panel = ((app.expertReview?.panel ?? []) as { expertId: string }[]).map((p) => p.expertId);
    if (panel.length !== plan.panelSize) problems.push(`${app.applicationId}: panel of ${panel.length}`);
    if (new Set(panel).size !== panel.length) problems.push(`${app.applicationId}: an expert twice`);
    if (panel.some((id) => unitsOf.get(id)?.has(app.unitId))) problems.push(`${app.applicationId}: own unit's expert`);
  });
  return check(
    'each panel has its experts, distinct, none of its own unit',
    problems,
    `${plan.reviewed} panels of ${plan.panelSize}`,
  );
}

/** How many places each expert holds on the panels the applications show. */
const panelPlaces = (apps: Record<string, any>[]) =>
  countOf(
    apps.flatMap((a) => (a.expertReview?.panel ?? []) as { expertId: string }[]),
    (p) => p.expertId,
  );

/** Every expert's load in the call within their cap; the loads add up to the places. */
async function checkLoads(d: CallDriver, panelPlaces: Map<string, number>): Promise<Check> {
  const experts: { expertId: string; load: { assigned: number; max: number } }[] = [];
  for (let after: string | undefined; ;) {
    const query = `limit=500&callId=${CALL_ID}${after ? `&after=${after}` : ''}`;
    const page = await d.api.request('GET', `/experts?${query}`, { token: d.staff });
    experts.push(...page.body.experts);
    after = page.body.next;
    if (!after) break;
  }
  const problems = experts
    .filter((e) => e.load.assigned > e.load.max)
    .map((e) => `${e.expertId} ${e.load.assigned}/${e.load.max}`);
  const places = experts.reduce((sum, e) => sum + e.load.assigned, 0);
  const expected = d.plan.reviewed * d.plan.panelSize;
  if (places !== expected) problems.push(`loads add up to ${places}, not ${expected} places`);
  for (const e of experts) {
    const held = panelPlaces.get(e.expertId) ?? 0;
    if (held !== e.load.assigned) problems.push(`${e.expertId}: load ${e.load.assigned}, on ${held} panels`);
  }
  const max = Math.max(...experts.map((e) => e.load.assigned));
  const used = experts.filter((e) => e.load.assigned > 0).length;
  return check(
    "each expert's load within the cap",
    problems,
    `${places} places over ${used} of ${experts.length} experts, max ${max}`,
  );
}

/** One digest per expert for the round (an expert emailed twice would answer twice). */
function checkExpertDigests(emails: StoredEmail[]): Check {
  const perExpert = countOf(emails.filter(isExpertDigest), (e) => e.destination.to.join(','));
  const problems = [...perExpert].filter(([, n]) => n !== 1).map(([to, n]) => `${to}: ${n}`);
  return check('each expert emailed once for the round', problems, `${perExpert.size} digests`);
}

/** Each application: its receipt once, and its outcome (or its rejection) once. */
function checkApplicationEmails(plan: CallPlan, emails: StoredEmail[]): Check {
  const bySubject = (prefix: string) =>
    countOf(
      emails.filter((e) => e.subject.startsWith(prefix)),
      (e) => e.subject.slice(prefix.length).split(' ')[0],
    );
  const receipts = bySubject('【申报回执】');
  const outcomes = new Map([...bySubject('【立项通知】'), ...bySubject('【评审结果】')]);
  const rejections = bySubject('【不予受理】');
  const problems: string[] = [];
  for (const app of plan.applications) {
    if (receipts.get(app.title) !== 1) problems.push(`${app.title}: ${receipts.get(app.title) ?? 0} receipts`);
    const ending = (app.reject ? rejections : outcomes).get(app.title) ?? 0;
    if (ending !== 1) problems.push(`${app.title}: ${ending} ${app.reject ? 'rejection' : 'outcome'} emails`);
  }
  return check(
    'each application: one receipt, one outcome (or rejection) email',
    problems,
    `${plan.applications.length} applications`,
  );
}

/** No two emails alike (the same recipient, subject and text). */
function checkDuplicateEmails(emails: StoredEmail[]): Check {
  const same = countOf(emails, (e) => JSON.stringify([e.destination.to, e.subject, e.body.text]));
  const problems = [...same.values()].filter((n) => n > 1).map((n) => `an email sent ${n} times`);
  return check('no email twice (recipient + subject + text)', problems, `${emails.length} emails, all distinct`);
}

/** Each email's once-only marker (EMAIL#<dedupeKey>) SENT, and SES holds exactly its message once. */
async function checkEmailMarkers(dynamodbUrl: string, emails: StoredEmail[]): Promise<Check> {
  const markers = await scanEmailMarkers(dynamodbUrl);
  const sesIds = countOf(emails, (e) => e.messageId);
  const problems: string[] = [];
  for (const marker of markers) {
    if (marker.state !== 'SENT') problems.push(`${marker.key} ${marker.state}`);
    else if (sesIds.get(marker.messageId ?? '') !== 1) problems.push(`${marker.key}: its message not in SES once`);
  }
  if (markers.length !== emails.length) problems.push(`${markers.length} dedupe keys, ${emails.length} emails in SES`);
  const byMessage = new Map<string, string[]>();
  for (const m of markers) byMessage.set(m.messageId ?? '', [...(byMessage.get(m.messageId ?? '') ?? []), m.key]);
  for (const [messageId, keys] of byMessage)
    if (keys.length > 1) problems.push(`${keys.join(' and ')} name one message ${messageId}`);
  const templates = [...countOf(markers, (m) => m.template)].map(([t, n]) => `${t} ${n}`).join(', ');
  return check(
    'each email once per dedupe key (SES = EMAIL# markers)',
    problems,
    `${markers.length} keys: ${templates}`,
  );
}

async function scanEmailMarkers(endpoint: string) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const markers: { key: string; state?: string; messageId?: string; template: string }[] = [];
  try {
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: LOCAL_TABLE,
          FilterExpression: 'begins_with(PK, :email)',
          ExpressionAttributeValues: { ':email': { S: 'EMAIL#' } },
          ProjectionExpression: 'PK, #state, messageId, #template',
          ExpressionAttributeNames: { '#state': 'state', '#template': 'template' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        markers.push({
          key: item.PK.S ?? '',
          state: item.state?.S,
          messageId: item.messageId?.S,
          template: item.template?.S ?? '?',
        });
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return markers;
}

/** One execution per application, started once, ended SUCCEEDED; none failed. */
function checkExecutions(ids: string[], log: StackLog): Check {
  const problems: string[] = [];
  // An execution is named after its application (`<id>`, or `<id>-v2`, `-r1`, `-s1` when resumed).
  const perApplication = countOf([...log.started], (name) => name.slice(0, 36));
  for (const id of ids) {
    const names = perApplication.get(id) ?? 0;
    if (names !== 1) problems.push(`${id}: ${names} executions`);
    if (log.ended.get(id) !== 'SUCCEEDED') problems.push(`${id}: ${log.ended.get(id) ?? 'not ended'}`);
  }
  if (log.started.size !== ids.length) problems.push(`${log.started.size} executions started for ${ids.length}`);
  return check('one execution per application, each SUCCEEDED', problems, JSON.stringify(log.endings));
}

/** Every request answered within the API's time: no gateway error (each was asked again, as people would). */
function checkGatewayErrors(d: CallDriver, answers: Record<string, CallLevelAnswer>): Check {
  const statuses = Object.entries(answers).map(([what, a]) => `${what} ${a.answer.status}${a.job ? ' (job)' : ''}`);
  return check(
    'every request answered within the API time (no 502/503/504)',
    d.requests.gatewayErrors,
    statuses.join(', '),
  );
}
