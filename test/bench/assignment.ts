/**
 * Expert assignment at scale (issue 8): synthetic pools and applications, timed with
 * performance.now() around `assignExperts` only (building the data is not counted).
 *
 *   10,000 applications × 5 experts from 3,000 experts
 *   300,000 applications × 5 experts from 100,000 experts   (goal: under 30 s)
 *
 * ~50 disciplines with a skewed (Zipf-like) popularity, 1–3 member societies per expert, caps of
 * 10–30, 3–6 named people per application (about a third of them are names in the pool, homonyms
 * included) and 0–3 experts to avoid. Run alone: `npx tsx test/bench/assignment.ts`.
 */
import { type AssignmentSummary, type ReviewCandidate, assignExperts } from '@shared/domain/expert-assignment';
import type { Expert } from '@shared/domain/experts';
import { seededRandom } from '../support/random';

const DISCIPLINES = [
  '物理学',
  '化学',
  '数学',
  '统计学',
  '天文学',
  '地质学',
  '地理学',
  '海洋科学',
  '大气科学',
  '生物学',
  '生态学',
  '心理学',
  '力学',
  '机械工程',
  '光学工程',
  '仪器科学',
  '材料科学',
  '冶金工程',
  '动力工程',
  '电气工程',
  '电子信息',
  '通信工程',
  '计算机科学',
  '人工智能',
  '集成电路',
  '自动化',
  '土木工程',
  '建筑学',
  '水利工程',
  '化学工程',
  '交通运输',
  '环境科学',
  '食品科学',
  '能源',
  '农学',
  '园艺学',
  '植物保护',
  '畜牧学',
  '兽医学',
  '林学',
  '水产',
  '临床医学',
  '公共卫生',
  '中医药',
  '药学',
  '护理学',
  '科学传播',
  '学会管理',
  '党建',
  '管理学',
];
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志文斌海波晓东红梅玉兰春林宇浩然子轩俊杰思远佳怡雨婷振华永健立新',
];

interface Synthetic {
  experts: Expert[];
  candidates: ReviewCandidate[];
}

/** A synthetic call: `apps` applications from `units` societies, `pool` experts. */
export function syntheticCall(apps: number, pool: number, units: number, seed: number): Synthetic {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // Zipf-like popularity of the disciplines (weight 1/(rank+2)), as a cumulative table.
  const weights = DISCIPLINES.map((_, i) => 1 / (i + 2));
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const cumulative: number[] = [];
  weights.reduce((s, w) => (cumulative.push((s + w) / totalWeight), s + w), 0);
  const discipline = () => {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return DISCIPLINES[lo];
  };
  const personName = () =>
    SURNAMES[int(0, SURNAMES.length - 1)] +
    GIVEN[int(0, GIVEN.length - 1)] +
    (random() < 0.7 ? GIVEN[int(0, GIVEN.length - 1)] : '');
  const unit = () => `unit-${int(1, units)}`;

  const experts: Expert[] = [];
  for (let i = 0; i < pool; i++) {
    const id = `exp-${String(i + 1).padStart(6, '0')}`;
    const unitIds = [...new Set(Array.from({ length: int(1, 3) }, unit))];
    const disciplines = [...new Set(Array.from({ length: int(1, 3) }, discipline))];
    experts.push({
      expertId: id,
      name: personName(),
      email: `${id}@experts.example.org`,
      affiliation: '某大学',
      unitIds,
      disciplines,
      maxLoad: int(10, 30),
    });
  }
  const candidates: ReviewCandidate[] = [];
  for (let i = 0; i < apps; i++) {
    const namedPeople = Array.from({ length: int(3, 6) }, () =>
      random() < 0.33 ? experts[int(0, pool - 1)].name : personName(),
    );
    const expertsToAvoid = Array.from({ length: int(0, 3) }, () => experts[int(0, pool - 1)].name);
    candidates.push({
      applicationId: `app-${String(i + 1).padStart(6, '0')}`,
      unitId: unit(),
      discipline: discipline(),
      namedPeople,
      expertsToAvoid,
    });
  }
  return { experts, candidates };
}

export interface AssignmentFigure {
  ms: number;
  summary: AssignmentSummary;
}

function timeAssignment(apps: number, pool: number, units: number, seed: number): AssignmentFigure {
  const { experts, candidates } = syntheticCall(apps, pool, units, seed);
  const start = performance.now();
  const result = assignExperts(candidates, experts, { perApplication: 5 });
  const ms = performance.now() - start;
  if (!result.ok)
    throw new Error(`assignment of ${apps} applications failed: ${JSON.stringify(result.unserved.slice(0, 3))}`);
  return { ms: Math.round(ms), summary: result.summary };
}

/** Expert assignment for 10,000 and for 300,000 applications × 5 experts, measured in this run. */
export async function assignmentFigures(): Promise<{ apps10k: AssignmentFigure; apps300k: AssignmentFigure }> {
  const apps10k = timeAssignment(10_000, 3_000, 400, 10);
  const apps300k = timeAssignment(300_000, 100_000, 5_000, 300);
  return { apps10k, apps300k };
}

if (require.main === module) {
  assignmentFigures().then(
    (figures) => {
      for (const [name, figure] of Object.entries(figures)) {
        const { applications, expertsUsed, load, disciplineMatchRate } = figure.summary;
        console.log(
          `${name}: ${figure.ms} ms — ${applications} applications × 5, ${expertsUsed} experts used, ` +
            `load min ${load.min} / mean ${load.mean} / max ${load.max}, discipline match ${(disciplineMatchRate * 100).toFixed(1)}%`,
        );
      }
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
