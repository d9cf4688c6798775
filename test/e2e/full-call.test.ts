import seededExperts from '@seeds/experts.json';
import seededUnits from '@seeds/units.json';
import type { ResultRow } from '@shared/use-cases/award';
import { call, example, type Body } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { eventually, type StoredEmail } from '../support/local';
import { accepted, jobEnded, proposeAward } from '../support/jobs';
import { seededRandom } from '../support/random';
import { followLink, passStaffStages, taskLinkIn, taskLinksIn } from '../support/task-links';

/**
 * A whole call end to end, through HTTP and email links only: 44 applications over all 11 project
 * types from 18 units, the staff stages, the review round (checked against the experts' conflicts
 * and caps), every expert scoring from the links in their emails (three declaring a conflict, three
 * declining, their replacements scoring, one silent past the deadline), the proposal, its
 * confirmation, the outcome emails, and the results (JSON, CSV, public) compared with a ranking this
 * test computes itself, in exact integer arithmetic, from the scores it submitted.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const theCall = call();
const criteria = theCall.review.scoringForm.criteria;
/** Each criterion's weight in thousandths: an expert's total in thousandths of a point is then a whole number. */
const WEIGHT_MILLIS = criteria.map((c) => Math.round(c.weight * 1000));

type Expert = (typeof seededExperts)[number];
const expertById = new Map<string, Expert>(seededExperts.map((e) => [e.expertId, e]));
const expertByEmail = new Map<string, Expert>(seededExperts.map((e) => [e.email.toLowerCase(), e]));

// ---------------------------------------------------------------------------------------------
// The applications

/** 7 seeded member units (the barred one left out) and 11 the association registers first. */
const UNITS = [
  'gd-physics-society',
  'gd-chemistry-society',
  'gd-mechanical-engineering-society',
  'gd-agriculture-society',
  'gd-medical-society',
  'gd-electronics-society',
  'gd-computer-society',
  'gd-automation-society',
  'gd-statistics-society',
  'gd-optics-society',
  'gd-materials-society',
  'gd-science-popularization-society',
  'gd-mathematics-society',
  'gd-communications-society',
  'gd-party-building-research-society',
  'gd-science-writers-association',
  'gd-management-science-society',
  'gd-energy-society',
];
const seededUnit = (unitId: string) => seededUnits.find((u) => u.unitId === unitId);
const unitEmail = (unitId: string) => seededUnit(unitId)?.email ?? `office@${unitId}.example.org`;
/** The unit's Chinese name: seeded, or as `api.unitToken` registers it. */
const unitName = (unitId: string) => seededUnit(unitId)?.name.zh ?? `${unitId}学会`;

/** Applications per type: more forums than the forum's quota of 10, and 2–3 for each type with a quota of 1. */
const PLAN: Record<string, number> = {
  'lingnan-forum': 12,
  'communication-programme': 3,
  'activity-month': 3,
  'public-service-capacity': 8,
  'annual-report-statistics': 3,
  'secretary-general-salon': 3,
  'gba-mutual-recognition': 2,
  'nanyue-platform': 3,
  'party-organisation-training': 3,
  'lecture-hall': 2,
  'party-publicity': 2,
};

/** Disciplines of the expert pool, rotated over the applications so that the round draws on most of the pool. */
const DISCIPLINES = [
  '物理学',
  '化学',
  '机械工程',
  '农学',
  '临床医学',
  '电子信息',
  '计算机科学',
  '自动化',
  '统计学',
  '光学工程',
  '材料科学',
  '科学传播',
  '数学',
  '通信工程',
  '党建',
  '新闻传播',
  '管理学',
  '能源',
  '环境科学',
  '人工智能',
  '公共卫生',
  '生物学',
  '学会管理',
  '科技管理',
];

interface Planned {
  index: number;
  typeId: string;
  unitId: string;
  body: Body;
  /** the quality the experts see in it: distinct within the type, 3 points apart */
  base: number;
}

interface Submitted extends Planned {
  applicationId: string;
  token: string;
}

/** The call's plan: each application its type, its unit (within the call's limits), its varied form and its quality. */
function planApplications(): Planned[] {
  const perUnit = new Map<string, number>();
  const perUnitType = new Map<string, number>();
  const planned: Planned[] = [];
  const rng = seededRandom(20231016);
  for (const type of theCall.projectTypes) {
    const n = PLAN[type.typeId];
    if (!n) throw new Error(`no plan for ${type.typeId}`);
    // Bases 58, 61, 64, … in a seeded order: the rank is not the order of submission.
    const bases = Array.from({ length: n }, (_, k) => 58 + 3 * k);
    for (let k = bases.length - 1; k > 0; k--) {
      const j = Math.floor(rng() * (k + 1));
      [bases[k], bases[j]] = [bases[j], bases[k]];
    }
    for (let k = 0; k < n; k++) {
      const index = planned.length;
      const unitId = [...UNITS]
        .filter((u) => (perUnit.get(u) ?? 0) < theCall.maxApplicationsPerUnit)
        .filter((u) => type.perUnitLimit === null || (perUnitType.get(`${u}|${type.typeId}`) ?? 0) < type.perUnitLimit)
        .sort((a, b) => (perUnit.get(a) ?? 0) - (perUnit.get(b) ?? 0))[0];
      if (!unitId) throw new Error(`no unit left for ${type.typeId}`);
      perUnit.set(unitId, (perUnit.get(unitId) ?? 0) + 1);
      perUnitType.set(`${unitId}|${type.typeId}`, (perUnitType.get(`${unitId}|${type.typeId}`) ?? 0) + 1);

      const body = example(type.typeId);
      body.title = `${body.title}（第${index + 1}号·${unitName(unitId).replace(/^gd-/, '')}）`;
      if (body.title.length > 100) throw new Error(`title too long: ${body.title}`);
      body.contact.email = unitEmail(unitId);
      body.discipline.field = DISCIPLINES[index % DISCIPLINES.length];
      if (type.form === 'forum')
        body.details.venueCity = theCall.guangdongCities[index % theCall.guangdongCities.length];
      if (type.funding.kind === 'range') {
        // 50,000 … 100,000 CNY, a different amount each; the items add up to it.
        const requested = Math.min(type.funding.maxCny, type.funding.minCny + k * 7_500);
        const fees = Math.round((requested * 0.6) / 100) * 100;
        body.budget = {
          ...body.budget,
          requestedCny: requested,
          items: [
            { name: '专家劳务费', amountCny: fees },
            { name: '培训资料、场地及差旅费', amountCny: requested - fees },
          ],
        };
      }
      planned.push({ index, typeId: type.typeId, unitId, body, base: bases[k] });
    }
  }
  return planned;
}

// ---------------------------------------------------------------------------------------------
// The experts' scores, and the ranking computed from them

type Manner = 'plain' | 'harsh' | 'generous' | 'steady';

/**
 * One expert's scores for one application, seeded by both: each criterion base ± 1 (whole points).
 * A harsh expert gives 15 points less, a generous one 10 more (capped at 100): on a panel of 5 they
 * are the extremes the score drops. On the application with 4 scores (its fifth expert silent) only
 * the first criterion varies, by 4 points, so that every total there is a whole number.
 */
function scoresFor(app: Planned, expertId: string, manner: Manner): Record<string, number> {
  const rng = seededRandom(app.index * 1000 + Number(expertId.replace(/\D/g, '')));
  const shift = manner === 'harsh' ? -15 : manner === 'generous' ? 10 : 0;
  return Object.fromEntries(
    criteria.map((c, i) => {
      const noise = manner === 'steady' ? (i === 0 ? 4 * (Math.floor(rng() * 3) - 1) : 0) : Math.floor(rng() * 3) - 1;
      return [c.id, Math.min(c.max, Math.max(c.min, app.base + shift + noise))];
    }),
  );
}

/** An expert's weighted total Σ weight × score, in thousandths of a point (exact). */
const totalMillis = (scores: Record<string, number>) =>
  criteria.reduce((sum, c, i) => sum + WEIGHT_MILLIS[i] * scores[c.id], 0);

interface ExpectedScore {
  /** the score is num / den points, exactly */
  num: number;
  den: number;
  value: number;
  display: string;
}

/** The application's score: the mean of the totals, the highest and the lowest dropped from 5 totals on; shown to 2 decimals. */
function expectedScore(totals: number[]): ExpectedScore {
  if (totals.length < 3) throw new Error(`only ${totals.length} totals`);
  const sorted = [...totals].sort((a, b) => a - b);
  const counted = sorted.length >= 5 ? sorted.slice(1, -1) : sorted;
  const num = counted.reduce((a, b) => a + b, 0);
  const den = 1000 * counted.length;
  // In hundredths: num / (10 × counted), rounded half up. The data never sits on a half (checked).
  const centsDen = 10 * counted.length;
  if ((2 * num) % (2 * centsDen) === centsDen)
    throw new Error(`test data: the score ${num}/${den} sits on a rounding boundary`);
  const cents = Math.floor((2 * num + centsDen) / (2 * centsDen));
  return { num, den, value: num / den, display: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}` };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs `work` over the items, at most `limit` at a time; the results in the items' order. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const taskIdOf = (link: string) => {
  const m = /\/tasks\/([A-Za-z0-9_-]{22})\?/.exec(link);
  if (!m) throw new Error(`not a task link: ${link}`);
  return m[1];
};
const expertOfEmail = (email: StoredEmail): Expert => {
  const expert = expertByEmail.get(email.destination.to[0].toLowerCase());
  if (!expert) throw new Error(`"${email.subject}" went to ${email.destination.to[0]}, not an expert of the pool`);
  return expert;
};
const isDigest = (e: StoredEmail) =>
  e.subject.startsWith('【专家评审邀请】') && !e.subject.includes('Expert review invitation');
const isInvitation = (e: StoredEmail) =>
  e.subject.startsWith('【专家评审邀请】') && e.subject.includes('Expert review invitation');
/** The people an application names (lead, contact, speakers, main-forum experts): none of them may review it. */
const namedIn = (body: Body): string[] =>
  [
    body.lead?.name,
    body.lead?.email,
    body.contact?.name,
    body.contact?.email,
    ...(body.details?.speakers ?? []).map((s: { name: string }) => s.name),
    ...(body.details?.mainForumExperts ?? []).map((s: { name: string }) => s.name),
  ]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.replace(/\s+/g, '').toLowerCase());

interface Slot {
  expertId: string;
  taskId: string;
  via: string;
}

// ---------------------------------------------------------------------------------------------

test('a full call: 44 applications, 11 types, 18 units, the review by the whole pool, the award and the results', async () => {
  // The scoring form this test's arithmetic assumes: 0–100 per criterion, weights adding up to 1.
  for (const c of criteria) expect([c.min, c.max]).toEqual([0, 100]);
  expect(WEIGHT_MILLIS.reduce((a, b) => a + b, 0)).toBe(1000);
  criteria.forEach((c, i) => expect(WEIGHT_MILLIS[i] / 1000).toBeCloseTo(c.weight, 12));

  const staff = await api.staffToken();
  const planned = planApplications();
  expect(planned.length).toBeGreaterThanOrEqual(40);
  expect(new Set(planned.map((p) => p.typeId)).size).toBe(theCall.projectTypes.length);
  expect(new Set(planned.map((p) => p.unitId)).size).toBeGreaterThanOrEqual(15);
  expect(new Set(planned.map((p) => p.body.title)).size).toBe(planned.length);

  // ---- Submission: every form valid; each passes the automatic formal check.
  const tokens = new Map<string, string>();
  for (const unitId of new Set(planned.map((p) => p.unitId))) tokens.set(unitId, await api.unitToken(unitId));
  const apps: Submitted[] = [];
  for (const p of planned) {
    const token = tokens.get(p.unitId)!;
    const answer = await api.submit(token, p.body);
    if (answer.status !== 201)
      throw new Error(
        `submitting #${p.index} (${p.typeId}, ${p.unitId}): ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    apps.push({ ...p, applicationId: answer.body.applicationId, token });
  }
  const byId = new Map(apps.map((a) => [a.applicationId, a]));
  await inParallel(apps, 8, (app) => api.waitForStatus(app.token, app.applicationId, 'FORMAL_CHECK_PASSED', 60_000));

  // ---- The staff stages, from the staff's task emails.
  await inParallel(apps, 5, (app) => passStaffStages(() => stack.emails(), app.applicationId));
  await inParallel(apps, 8, (app) => api.waitForStatus(staff, app.applicationId, 'READY_FOR_EXPERT_REVIEW', 60_000));

  // ---- The review round.
  const started = accepted(await api.request('POST', `/calls/${CALL}/expert-assignments`, { token: staff }), 'round');
  const ended = await jobEnded(api, staff, started.jobId);
  expect(ended.state).toBe('DONE');
  const summary = ended.result?.summary;
  expect(summary).toMatchObject({ applications: apps.length });
  await inParallel(apps, 8, (app) => api.waitForStatus(staff, app.applicationId, 'IN_EXPERT_REVIEW', 60_000));

  const staffView = async (app: Submitted) =>
    (await api.request('GET', `/applications/${app.applicationId}`, { token: staff })).body;
  const panelsOf = async () =>
    new Map(
      await inParallel(
        apps,
        8,
        async (app) => [app.applicationId, (await staffView(app)).expertReview.panel as Slot[]] as const,
      ),
    );
  const firstPanels = await panelsOf();
  const slotByTask = new Map<string, { app: Submitted; slot: Slot }>();
  const loads = new Map<string, number>();
  let matched = 0;
  for (const app of apps) {
    const panel = firstPanels.get(app.applicationId)!;
    expect(panel).toHaveLength(theCall.review.expertsPerApplication);
    expect(new Set(panel.map((s) => s.expertId)).size).toBe(panel.length);
    for (const slot of panel) {
      expect(slot.via).toBe('assignment');
      slotByTask.set(slot.taskId, { app, slot });
      loads.set(slot.expertId, (loads.get(slot.expertId) ?? 0) + 1);
      if (expertById.get(slot.expertId)!.disciplines.includes(app.body.discipline.field)) matched++;
    }
  }
  // No expert on a panel of their own unit, or of an application naming them; none above their cap.
  const checkPanels = (panels: Map<string, Slot[]>, active: (app: Submitted, slot: Slot) => boolean) => {
    const load = new Map<string, number>();
    for (const app of apps) {
      const named = new Set(namedIn(app.body));
      for (const slot of panels.get(app.applicationId)!) {
        const expert = expertById.get(slot.expertId)!;
        if (expert.unitIds.includes(app.unitId))
          throw new Error(
            `${expert.expertId} (of ${app.unitId}) is on the panel of ${app.applicationId}, of that unit`,
          );
        if (named.has(expert.name) || named.has(expert.email.toLowerCase()))
          throw new Error(`${expert.expertId} is named in ${app.applicationId} and on its panel`);
        if (active(app, slot)) load.set(slot.expertId, (load.get(slot.expertId) ?? 0) + 1);
      }
    }
    for (const [expertId, n] of load)
      if (n > expertById.get(expertId)!.maxLoad) throw new Error(`${expertId} has ${n} applications, above their cap`);
  };
  checkPanels(firstPanels, () => true);
  const loadValues = [...loads.values()];
  expect(summary.expertsUsed).toBe(loads.size);
  expect(summary.expertsUsed).toBeGreaterThanOrEqual(60);
  expect(summary.load.min).toBe(Math.min(...loadValues));
  expect(summary.load.max).toBe(Math.max(...loadValues));
  expect(summary.load.mean).toBeCloseTo((apps.length * theCall.review.expertsPerApplication) / loads.size, 2);
  expect(summary.disciplineMatchRate).toBeCloseTo(matched / (apps.length * theCall.review.expertsPerApplication), 4);

  // ---- Every expert used has one email listing every application of theirs, one link each.
  const digests = await eventually(
    async () => {
      const found = (await stack.emails()).filter(isDigest);
      return found.length >= summary.expertsUsed ? found : undefined;
    },
    60_000,
    'one email per expert',
  );
  expect(digests).toHaveLength(summary.expertsUsed);
  const links = new Map<string, string>(); // taskId → link
  for (const digest of digests) {
    const expert = expertOfEmail(digest);
    const found = taskLinksIn(digest);
    expect(found).toHaveLength(loads.get(expert.expertId) ?? -1);
    for (const link of found) {
      const owner = slotByTask.get(taskIdOf(link));
      if (!owner) throw new Error(`a link in ${expert.expertId}'s email opens no task of the panels`);
      expect(owner.slot.expertId).toBe(expert.expertId);
      links.set(taskIdOf(link), link);
    }
  }
  expect(links.size).toBe(apps.length * theCall.review.expertsPerApplication);
  // Each link opens its application with the scoring form.
  await inParallel([...links], 8, async ([taskId, link]) => {
    const read = await followLink(link);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      kind: 'expert-review',
      state: 'OPEN',
      applicationId: slotByTask.get(taskId)!.app.applicationId,
    });
  });

  // ---- Who does what: 3 conflicts, 3 declines (on 6 applications, 6 different experts), one silent expert.
  const silentApp = apps.filter((a) => a.typeId === 'public-service-capacity')[2];
  const silentSlot = firstPanels.get(silentApp.applicationId)![4];
  const chosen = new Set<string>([silentSlot.expertId]);
  const pick = (app: Submitted) => {
    const slot = firstPanels
      .get(app.applicationId)!
      .slice(1)
      .find((s) => !chosen.has(s.expertId))!;
    chosen.add(slot.expertId);
    return { app, slot };
  };
  const forums = apps.filter((a) => a.typeId === 'lingnan-forum');
  const others = apps.filter((a) => a.typeId !== 'lingnan-forum' && a !== silentApp);
  const conflicts = [forums[1], forums[5], others[3]].map(pick);
  const declines = [forums[8], others[6], others[15]].map(pick);
  const replaced = [...conflicts, ...declines];
  expect(new Set(replaced.map((r) => r.app)).size).toBe(6);
  expect(new Set(replaced.map((r) => r.slot.expertId)).size).toBe(6);
  /** The first expert of every other panel scores far off the rest: a panel of 5 drops them. */
  const mannerOf = (app: Submitted, expertId: string): Manner => {
    if (app === silentApp) return 'steady';
    if (firstPanels.get(app.applicationId)![0].expertId !== expertId) return 'plain';
    return app.index % 4 === 1 ? 'harsh' : app.index % 4 === 3 ? 'generous' : 'plain';
  };

  for (const { app, slot } of conflicts) {
    const answered = await followLink(links.get(slot.taskId)!, {
      answer: { answer: 'conflict', reasons: [`我曾与${app.unitId}合作承担相关项目`] },
    });
    expect(answered.status).toBe(200);
  }
  for (const { slot } of declines)
    expect(
      (await followLink(links.get(slot.taskId)!, { answer: { answer: 'decline', reasons: ['评审期间出差'] } })).status,
    ).toBe(200);

  // Each of the six places goes at once to another expert, emailed on their own.
  const invitations = await eventually(
    async () => {
      const found = (await stack.emails()).filter(isInvitation);
      return found.length >= replaced.length ? found : undefined;
    },
    30_000,
    'six replacement invitations',
  );
  expect(invitations).toHaveLength(replaced.length);
  const replacements = await inParallel(invitations, 6, async (email) => {
    const link = taskLinkIn(email);
    const read = await followLink(link);
    expect(read.status).toBe(200);
    const app = byId.get(read.body.applicationId)!;
    return { app, expertId: expertOfEmail(email).expertId, link };
  });
  expect(replacements.map((r) => r.app.applicationId).sort()).toEqual(replaced.map((r) => r.app.applicationId).sort());
  for (const r of replacements) {
    const before = firstPanels.get(r.app.applicationId)!.map((s) => s.expertId);
    expect(before).not.toContain(r.expertId);
  }

  // ---- Everyone else scores, from their links; what each expert gave is kept.
  const given = new Map<string, { expertId: string; scores: Record<string, number>; total: number }[]>();
  const toScore = [
    ...[...slotByTask.values()]
      .filter(({ slot }) => slot !== silentSlot && !replaced.some((r) => r.slot === slot))
      .map(({ app, slot }) => ({ app, expertId: slot.expertId, link: links.get(slot.taskId)! })),
    ...replacements,
  ];
  await inParallel(toScore, 8, async ({ app, expertId, link }) => {
    const scores = scoresFor(app, expertId, mannerOf(app, expertId));
    const answered = await followLink(link, {
      answer: {
        answer: 'score',
        noConflict: true,
        scores,
        comment: `评审意见：${app.body.title}，综合评价${app.base}分左右。`,
      },
    });
    if (answered.status !== 200)
      throw new Error(`${expertId} scoring ${app.applicationId}: ${answered.status} ${JSON.stringify(answered.body)}`);
    given.set(app.applicationId, [
      ...(given.get(app.applicationId) ?? []),
      { expertId, scores, total: totalMillis(scores) },
    ]);
  });
  const scoringExperts = new Set(toScore.map((s) => s.expertId));
  expect(scoringExperts.size).toBeGreaterThanOrEqual(60);

  for (const app of apps) if (app !== silentApp) await api.waitForStatus(staff, app.applicationId, 'SCORED', 60_000);
  expect((await staffView(silentApp)).status).toBe('IN_EXPERT_REVIEW');
  // Before the deadline: too early for a proposal.
  const early = await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('STAGE_NOT_READY');

  // ---- The deadline passes: the silent expert's link expires; four scores are enough.
  await stack.setClock('2023-11-01T09:00:00+08:00', true);
  await api.waitForStatus(staff, silentApp.applicationId, 'SCORED', 60_000);
  const late = await followLink(links.get(silentSlot.taskId)!, {
    answer: {
      answer: 'score',
      noConflict: true,
      scores: scoresFor(silentApp, silentSlot.expertId, 'steady'),
      comment: '迟到的评审意见',
    },
  });
  expect(late.status).toBe(410);

  // ---- What this test expects, from the scores it gave.
  const expected = new Map<string, ExpectedScore>();
  for (const app of apps) {
    const mine = given.get(app.applicationId) ?? [];
    expect(mine).toHaveLength(app === silentApp ? 4 : 5);
    expected.set(app.applicationId, expectedScore(mine.map((g) => g.total)));
  }
  // Staff see the scores recorded as given, and the same application score.
  const finalPanels = await panelsOf();
  for (const app of apps) {
    const review = (await staffView(app)).expertReview;
    const mine = given.get(app.applicationId)!;
    expect(review.scores.map((s: { expertId: string }) => s.expertId).sort()).toEqual(
      mine.map((g) => g.expertId).sort(),
    );
    for (const s of review.scores) {
      const g = mine.find((m) => m.expertId === s.expertId)!;
      expect(s.scores).toEqual(g.scores);
      expect(s.total).toBeCloseTo(g.total / 1000, 9);
    }
    expect(review.score).toBeCloseTo(expected.get(app.applicationId)!.value, 9);
  }
  // The replacements kept the rules too; the decliners' places no longer count against their caps.
  checkPanels(finalPanels, (app, slot) => !replaced.some((r) => r.app === app && r.slot.expertId === slot.expertId));
  for (const r of replacements) {
    expect(finalPanels.get(r.app.applicationId)!.find((s) => s.expertId === r.expertId)).toMatchObject({
      via: 'replacement',
    });
  }

  interface ExpectedRow extends ResultRow {
    applicationId: string;
    ofCount: number;
  }
  const expectedRows: ExpectedRow[] = [];
  for (const type of theCall.projectTypes) {
    const ofType = apps
      .filter((a) => a.typeId === type.typeId)
      .sort((a, b) => expected.get(b.applicationId)!.value - expected.get(a.applicationId)!.value);
    ofType.forEach((app, i) => {
      if (i > 0 && expected.get(ofType[i - 1].applicationId)!.value - expected.get(app.applicationId)!.value < 1e-6)
        throw new Error('test data: a tie');
      const awarded = i < type.quota;
      const f = type.funding;
      const requested = app.body.budget.requestedCny as number;
      expectedRows.push({
        projectTypeId: type.typeId,
        type: type.name.zh,
        rank: i + 1,
        unitId: app.unitId,
        unit: unitName(app.unitId),
        title: app.body.title,
        score: expected.get(app.applicationId)!.display,
        requestedCny: requested,
        // never more than the request (通知二(一), as the product reads it)
        amountCny: !awarded
          ? 0
          : f.kind === 'fixed'
            ? Math.min(f.amountCny, requested)
            : Math.min(f.maxCny, Math.max(f.minCny, requested)),
        awarded,
        applicationId: app.applicationId,
        ofCount: ofType.length,
      });
    });
  }
  const typeOrder = theCall.projectTypes.map((t) => t.typeId);
  const byTypeAndRank = (a: { projectTypeId: string; rank: number }, b: { projectTypeId: string; rank: number }) =>
    typeOrder.indexOf(a.projectTypeId) - typeOrder.indexOf(b.projectTypeId) || a.rank - b.rank;
  const rowOf = (r: ExpectedRow) => ({
    projectTypeId: r.projectTypeId,
    rank: r.rank,
    unitId: r.unitId,
    title: r.title,
    score: r.score,
    requestedCny: r.requestedCny,
    amountCny: r.amountCny,
    awarded: r.awarded,
  });
  const notAwarded = expectedRows.filter((r) => !r.awarded);
  expect(notAwarded.filter((r) => r.projectTypeId === 'lingnan-forum')).toHaveLength(2);

  // ---- The proposal, as the department head confirms it from the link in their email.
  const proposal = await proposeAward(api, staff);
  expect(proposal.status).toBe(200);
  for (const t of proposal.body.types) {
    const mine = expectedRows.filter((r) => r.projectTypeId === t.typeId);
    expect(
      t.entries.map((e: { applicationId: string; awarded: boolean; amountCny: number }) => [
        e.applicationId,
        e.awarded,
        e.amountCny,
      ]),
    ).toEqual(mine.map((r) => [r.applicationId, r.awarded, r.amountCny]));
  }
  expect(proposal.body.totalCny).toBe(expectedRows.reduce((sum, r) => sum + r.amountCny, 0));
  const head = await stack.email((e) => e.subject.includes('立项建议'), 'the confirmation request');
  expect(head.destination.to).toEqual([theCall.staffReview.departmentHead.email]);
  expect((await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } })).status).toBe(200);
  // The decisions are a job of their own, named in the proposal's answer: one batch per 200 entries.
  const confirmed = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(confirmed.body).toMatchObject({ state: 'CONFIRMED', decisionJob: { kind: 'award-decisions', callId: CALL } });
  const decisions = await jobEnded(api, staff, confirmed.body.decisionJob.jobId);
  expect(decisions).toMatchObject({ state: 'DONE', errors: [], result: { decisions: expectedRows.length } });
  expect(decisions.done).toBe(decisions.total);

  for (const r of expectedRows)
    await api.waitForStatus(staff, r.applicationId, r.awarded ? 'AWARDED' : 'NOT_AWARDED', 60_000);

  // ---- Each unit hears its outcome, with its score and rank.
  const outcomes = await eventually(
    async () => {
      const all = (await stack.emails()).filter(
        (e) => e.subject.startsWith('【立项通知】') || e.subject.startsWith('【评审结果】'),
      );
      return all.length >= expectedRows.length ? all : undefined;
    },
    30_000,
    'an outcome email per application',
  );
  expect(outcomes).toHaveLength(expectedRows.length);
  for (const r of expectedRows) {
    const mine = outcomes.filter((e) => (e.body.text ?? '').includes(r.applicationId));
    expect(mine).toHaveLength(1);
    const [email] = mine;
    expect(email.destination.to).toEqual([unitEmail(r.unitId)]);
    expect(email.subject).toBe(
      r.awarded ? `【立项通知】${r.title} 获立项资助 / Awarded` : `【评审结果】${r.title} 未获立项 / Not awarded`,
    );
    expect(email.body.text).toContain(`专家评审得分：${r.score}分（第${r.rank}名，共${r.ofCount}项）`);
    if (r.awarded) expect(email.body.text).toContain(`CNY ${r.amountCny.toLocaleString('en-US')}`);
  }

  // ---- The results: staff see every ranked application, as JSON and as CSV.
  expect((await api.request('GET', `/results/${CALL}`)).status).toBe(404);
  const results = await api.request('GET', `/calls/${CALL}/results`, { token: staff });
  expect(results.status).toBe(200);
  expect(results.body.published).toBe(false);
  expect(results.body.rows.map(rowOf).sort(byTypeAndRank)).toEqual(expectedRows.map(rowOf));
  // One page holds a province's call (a national funder's ranking is read page by page).
  expect(results.body).toMatchObject({ page: 1, pages: 1 });
  const pastTheEnd = await api.request('GET', `/calls/${CALL}/results?page=2`, { token: staff });
  expect(pastTheEnd.status).toBe(400);
  expect(pastTheEnd.body.error.details).toEqual([expect.objectContaining({ path: 'query.page' })]);

  const csvAnswer = await fetch(`${api.base}/calls/${CALL}/results`, {
    headers: { accept: 'text/csv', authorization: `Bearer ${staff}` },
  });
  expect(csvAnswer.status).toBe(200);
  expect(csvAnswer.headers.get('content-type')).toMatch(/text\/csv/);
  const csvText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csvAnswer.arrayBuffer());
  expect(csvText.charCodeAt(0)).toBe(0xfeff);
  const [header, ...csvRows] = parseCsv(csvText.slice(1)).filter((row) => row.some((cell) => cell !== ''));
  expect(header).toEqual([
    '项目类型 Type',
    '排名 Rank',
    '申报单位 Unit',
    '项目名称 Title',
    '评审得分 Score',
    '申请金额（元）Requested (CNY)',
    '资助金额（元）Amount (CNY)',
    '是否立项 Awarded',
  ]);
  const csvOf = (r: ExpectedRow) => [
    r.type,
    String(r.rank),
    r.unit,
    r.title,
    r.score,
    String(r.requestedCny),
    String(r.amountCny),
    r.awarded ? '是 yes' : '否 no',
  ];
  const typeByName = new Map(theCall.projectTypes.map((t) => [t.name.zh, t.typeId]));
  const csvSorted = [...csvRows].sort(
    (a, b) =>
      typeOrder.indexOf(typeByName.get(a[0]) ?? '') - typeOrder.indexOf(typeByName.get(b[0]) ?? '') ||
      Number(a[1]) - Number(b[1]),
  );
  expect(csvSorted).toEqual(expectedRows.map(csvOf));

  // ---- Published: the public list is exactly the awarded rows.
  const published = await api.request('POST', `/calls/${CALL}/results/publish`, { token: staff });
  expect(published.status).toBe(200);
  expect(published.body).toMatchObject({ callId: CALL, published: true });
  const publicResults = await api.request('GET', `/results/${CALL}`);
  expect(publicResults.status).toBe(200);
  const awardedRows = expectedRows.filter((r) => r.awarded);
  expect(publicResults.body.rows.map(rowOf).sort(byTypeAndRank)).toEqual(awardedRows.map(rowOf));
  expect(publicResults.body.rows.every((r: { awarded: boolean }) => r.awarded)).toBe(true);
  const publicCsv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
    await (await fetch(`${api.base}/results/${CALL}`, { headers: { accept: 'text/csv' } })).arrayBuffer(),
  );
  for (const r of awardedRows) expect(publicCsv).toContain(r.title);
  for (const r of notAwarded) expect(publicCsv).not.toContain(r.title);
}, 600_000);
