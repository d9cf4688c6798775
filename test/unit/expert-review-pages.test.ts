import type { ApplicationForm } from '@shared/domain/application-form';
import type { RankedEntry } from '@shared/domain/award-ranking';
import { getCall, getProjectType } from '@shared/domain/catalogue';
import { readTaskAnswer } from '@shared/domain/tasks/link-rules';
import {
  type AwardProposalView,
  escapeHtml,
  renderAnswered,
  renderAwardConfirmationPage,
  renderAwardConfirmed,
  renderTaskPage,
  type TaskPageView,
} from '@shared/domain/tasks/pages';
import { exampleForm } from '../support/fixtures';

const call = getCall('gdast-2024')!;
const type = getProjectType(call, 'lingnan-forum')!;
const criteria = call.review.scoringForm.criteria;
const hostile = `<script>alert("pwned")</script>"><img src=x onerror=alert(1)>`;
const POST_URL = 'http://127.0.0.1:3000/tasks/AbCdEfGhIjKlMnOpQr_-09?sig=abc_DEF-123&x=1';

function view(overrides: Partial<TaskPageView> = {}, f: ApplicationForm = exampleForm('lingnan-forum')): TaskPageView {
  return {
    taskId: 'AbCdEfGhIjKlMnOpQr_-09',
    kind: 'expert-review',
    state: 'OPEN',
    dueAt: new Date('2024-01-15T09:00:00Z'),
    postUrl: POST_URL,
    assignee: { name: '林教授' },
    application: {
      applicationId: 'app-0001',
      title: f.title,
      unitName: '广东省物理学会',
      typeName: type.name,
      requestedCny: f.budget.requestedCny,
      submittedAt: '2023-09-20T10:15:00.000+08:00',
      form: f,
      formalCheckReasons: [{ text: { zh: '内部提示', en: 'staff-only finding' } }],
    },
    type,
    call,
    ...overrides,
  };
}

const forms = (html: string) => html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
const noScript = (html: string) => {
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
};

/** The form-encoded body a browser would post from a form (the first submit, every field filled as given). */
function post(formHtml: string, values: Record<string, string>): Record<string, string> {
  const body: Record<string, string> = {};
  for (const m of formHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) body[m[1]] = m[2];
  for (const [k, v] of Object.entries(values)) body[k] = v;
  return body;
}

describe('renderTaskPage: expert-review', () => {
  const html = renderTaskPage(view());
  const [scoreForm = '', conflictForm = '', declineForm = ''] = forms(html);

  test('titled 专家评审 / Expert review, with the application, its targets and budget, and no staff-only findings', () => {
    expect(html).toContain('<title>专家评审 · ');
    expect(html).toMatch(/<h1>专家评审<span class="en block" lang="en">Expert review<\/span><\/h1>/);
    expect(html).toContain('广东省物理学会');
    expect(html).toContain('Performance targets');
    expect(html).toContain('Budget');
    expect(html).not.toContain('staff-only finding');
  });

  test("the applicant's people by name and title only: no phone, no email (an expert needs neither; staff pages keep them)", () => {
    const f = exampleForm('lingnan-forum');
    for (const person of [f.contact, f.lead]) {
      expect(html).toContain(escapeHtml(person.name));
      expect(html).toContain(escapeHtml(person.title));
      expect({
        person: person.name,
        phone: html.includes(escapeHtml(person.phone)),
        email: html.includes(escapeHtml(person.email)),
      }).toEqual({
        person: person.name,
        phone: false,
        email: false,
      });
    }
    expect(html).not.toMatch(/href="(tel|mailto):/);
    const staff = renderTaskPage(view({ kind: 'target-review' }));
    for (const person of [f.contact, f.lead]) expect(staff).toContain(escapeHtml(person.email));
    expect(staff).toContain(`href="tel:${f.contact.phone.replace(/[^0-9+]/g, '')}"`);
  });

  test('three forms, each posting to the link itself: score, conflict, decline', () => {
    expect(forms(html)).toHaveLength(3);
    for (const f of forms(html)) {
      expect(f).toContain(`action="${escapeHtml(POST_URL)}"`);
      expect(f).toContain('method="post"');
      expect(f).toContain('enctype="application/x-www-form-urlencoded"');
    }
    expect(scoreForm).toContain('name="answer" value="score"');
    expect(conflictForm).toContain('name="answer" value="conflict"');
    expect(declineForm).toContain('name="answer" value="decline"');
  });

  test('first a required no-conflict checkbox naming the rule, before any score', () => {
    const box = /<input type="checkbox" name="noConflict"[^>]*>/.exec(scoreForm)?.[0];
    expect(box).toContain('required');
    expect(scoreForm.indexOf('noConflict')).toBeLessThan(scoreForm.indexOf('type="number"'));
    expect(scoreForm).toContain('不是申报单位成员');
    expect(scoreForm).toContain('未在申报书中列名');
    expect(scoreForm).toContain('未被申报单位要求回避');
    expect(scoreForm).toContain('not a member of the applying unit');
  });

  test('one number input per criterion, named score.<id>, with the range, the step, the weight and the guidance', () => {
    const inputs = scoreForm.match(/<input type="number"[^>]*>/g) ?? [];
    expect(inputs).toHaveLength(criteria.length);
    criteria.forEach((c, i) => {
      expect(inputs[i]).toContain(`name="score.${c.id}"`);
      expect(inputs[i]).toContain(`id="score-${c.id}"`);
      expect(inputs[i]).toContain(`min="${c.min}"`);
      expect(inputs[i]).toContain(`max="${c.max}"`);
      expect(inputs[i]).toContain('step="0.5"');
      expect(inputs[i]).toContain('required');
      expect(scoreForm).toContain(`<label class="field" for="score-${c.id}">${escapeHtml(c.name.zh)}`);
      expect(scoreForm).toContain(escapeHtml(c.name.en));
      expect(scoreForm).toContain(escapeHtml(c.guidance!.zh));
    });
    expect(scoreForm).toContain('权重 25%');
    expect(scoreForm).toContain('weight 15%');
  });

  test('a required comment', () => {
    expect(scoreForm).toMatch(/<textarea id="comment" name="comment"[^>]*required/);
  });

  test('a conflict needs a reason, a decline may give one', () => {
    expect(conflictForm).toMatch(/<textarea[^>]*name="reasons"[^>]*required/);
    expect(declineForm).toMatch(/<textarea[^>]*name="reasons"/);
    expect(declineForm).not.toMatch(/<textarea[^>]*required/);
  });

  test('what the score form posts is what readTaskAnswer takes', () => {
    const values: Record<string, string> = { noConflict: 'yes', comment: '方案具体' };
    for (const m of scoreForm.matchAll(/<input type="number"[^>]*name="([^"]+)"/g)) values[m[1]] = '90';
    const read = readTaskAnswer('expert-review', post(scoreForm, values), { call, now: new Date() });
    expect(read).toEqual({ ok: true, answer: expect.objectContaining({ answer: 'score', total: 90 }) });
    expect(
      readTaskAnswer('expert-review', post(conflictForm, { reasons: '同单位' }), { call, now: new Date() }).ok,
    ).toBe(true);
    expect(readTaskAnswer('expert-review', post(declineForm, {}), { call, now: new Date() }).ok).toBe(true);
  });

  test('no script, and hostile text shows as text', () => {
    const f = exampleForm('lingnan-forum', (b) => {
      b.title = `论坛 ${hostile}`;
      b.summary = `</details>${hostile}`;
      b.budget.items[0].name = hostile;
    });
    const page = renderTaskPage(
      view(
        {
          assignee: { name: hostile },
          postUrl: `${POST_URL}"><script>x</script>`,
          application: { ...view({}, f).application, unitName: hostile },
        },
        f,
      ),
    );
    noScript(page);
    expect(page).toContain(escapeHtml(`论坛 ${hostile}`));
    expect(page).not.toContain('</details><');
  });

  test('answered: no form; the scores per criterion, the weighted total to two decimals and the comment', () => {
    const scores = Object.fromEntries(criteria.map((c, i) => [c.id, 80 + i]));
    const answer = {
      answer: 'score',
      scores,
      total: 81.7,
      comment: `很好 ${hostile}`,
      answeredAt: '2024-01-10T10:00:00.000+08:00',
    };
    for (const page of [
      renderTaskPage(view({ state: 'DONE', answer })),
      renderAnswered(view({ state: 'DONE', answer })),
    ]) {
      expect(forms(page)).toHaveLength(0);
      noScript(page);
      expect(page).toContain('已评分');
      criteria.forEach((c, i) => expect(page).toMatch(new RegExp(`${c.name.zh}.*?<td class="num">${80 + i}</td>`)));
      expect(page).toContain('加权总分');
      expect(page).toContain('<strong>81.70</strong>');
      expect(page).toContain(escapeHtml(`很好 ${hostile}`));
    }
  });

  test('a conflict answered shows its reasons', () => {
    const page = renderAnswered(
      view({
        state: 'DONE',
        answer: { answer: 'conflict', reasons: [hostile], answeredAt: '2024-01-10T10:00:00.000+08:00' },
      }),
    );
    expect(page).toContain('存在利益冲突，回避');
    expect(page).toContain(`<li>${escapeHtml(hostile)}</li>`);
    noScript(page);
  });
});

// ---------------------------------------------------------------------------------------------

const entry = (rank: number, over: Partial<RankedEntry> = {}): RankedEntry => ({
  applicationId: `app-${rank}`,
  unitId: `unit-${rank}`,
  title: `项目 ${rank}`,
  rank,
  score: 90 - rank,
  spread: 1,
  awarded: true,
  requestedCny: 100000,
  amountCny: 100000,
  priorityMet: [],
  ...over,
});

function proposal(overrides: Partial<AwardProposalView> = {}): AwardProposalView {
  return {
    taskId: 'AwardTask0123456789_-',
    state: 'OPEN',
    dueAt: new Date('2024-02-01T09:00:00Z'),
    postUrl: POST_URL,
    assignee: { name: '王主任' },
    call,
    version: 2,
    proposedAt: '2024-01-20T10:00:00.000+08:00',
    types: [
      {
        typeId: 'lingnan-forum',
        typeName: type.name,
        quota: 3,
        awarded: 3,
        unfilled: 0,
        ranked: 4,
        entries: [
          entry(1, { score: 88.126 }),
          entry(2, {
            score: 85.2,
            tieBreak: {
              with: ['app-3'],
              by: 'priority',
              reason: { zh: '同分，本项目符合优先条件：联合承办', en: 'tied; this one is co-organised' },
            },
          }),
          entry(3, {
            score: 85.2,
            tieBreak: {
              with: ['app-2'],
              by: 'priority',
              reason: { zh: '同分，本项目符合优先条件：联合承办', en: 'tied' },
            },
          }),
          entry(4, { score: 70, awarded: false, amountCny: 0 }),
        ],
        notScored: [{ applicationId: 'app-9', reason: '2 expert score(s); at least 3 are needed' }],
        unitNames: {
          'unit-1': '广东省物理学会',
          'unit-2': '广东省化学学会',
          'unit-3': '广东省数学会',
          'unit-4': '广东省力学学会',
        },
      },
      {
        typeId: 'salon',
        typeName: { zh: '学术沙龙', en: 'Academic salon' },
        quota: 5,
        awarded: 2,
        unfilled: 3,
        ranked: 2,
        entries: [
          entry(1, { requestedCny: 30000, amountCny: 30000 }),
          entry(2, { requestedCny: 25000, amountCny: 25000 }),
        ],
        notScored: [],
        unitNames: { 'unit-1': '广东省植物学会' },
      },
    ],
    ...overrides,
  };
}

describe('renderAwardConfirmationPage', () => {
  const html = renderAwardConfirmationPage(proposal());

  test('a whole document, titled, Chinese first, no script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<h1>立项建议确认<span class="en block" lang="en">Award confirmation<\/span><\/h1>/);
    noScript(html);
  });

  test('per type: the name, the quota, the awards, and the unfilled places said to stay unfilled', () => {
    expect(html).toContain('学术沙龙');
    expect(html).toMatch(/名额.*?<dd>5<\/dd>/);
    expect(html).toMatch(/建议资助.*?<dd>2<\/dd>/);
    expect(html).toMatch(/空缺名额.*?<strong class="bad">3<\/strong>/);
    expect(html).toContain('空缺名额保持空缺');
    expect(html).toContain('An unfilled quota stays unfilled');
  });

  test('the ranked table: rank, unit name, title, score to two decimals, requested and awarded in 万元, awarded, tie-break reason', () => {
    expect(html).toContain(
      '<td class="num">1</td><td>广东省物理学会</td><td>项目 1</td><td class="num">88.13</td><td class="num">10</td><td class="num">10</td><td><strong>是</strong></td>',
    );
    expect(html).toContain('<td class="num">85.20</td>');
    expect(html).toContain('<td>同分，本项目符合优先条件：联合承办</td>');
    expect(html).toMatch(
      /<tr class="out"><td class="num">4<\/td><td>广东省力学学会<\/td><td>项目 4<\/td><td class="num">70.00<\/td><td class="num">10<\/td><td class="num">—<\/td><td>否<\/td>/,
    );
    expect(html).toContain('申请金额（万元）');
    expect(html).toContain('<td class="num">2.5</td>');
    expect(html).toContain('资助金额（万元）');
    expect(html).toContain('app-9');
    // Every ranked entry is shown here: nothing said to rank below.
    expect(html).not.toContain('项排名在后');
  });

  test('an entry asking less than its type amount shows the request and the award beside it; the totals add the awards; the rule is stated once, as the product reading of 二(一)', () => {
    const less = proposal();
    less.types[0] = {
      ...less.types[0],
      entries: [entry(1, { requestedCny: 80000, amountCny: 80000 }), entry(2, { awarded: false, amountCny: 0 })],
    };
    const page = renderAwardConfirmationPage(less);
    expect(page).toContain('<td>项目 1</td><td class="num">89.00</td><td class="num">8</td><td class="num">8</td>');
    expect(page).toMatch(/资助金额合计.*?8 万元（80,000 元）/);
    expect(page.split('立项金额不超过申请预算')).toHaveLength(2);
    expect(page).toContain('本系统对通知二(一)“原则上按核定的项目预算进行开支”的理解');
  });

  test('per type: the notice priorities the ranking applied, and those it did NOT (types 2 and 8), for the head to weigh', () => {
    const withTypes = proposal();
    const bare = { ...withTypes.types[1], entries: [entry(1)], unitNames: {} };
    withTypes.types = [
      withTypes.types[0],
      { ...bare, typeId: 'communication-programme', typeName: getProjectType(call, 'communication-programme')!.name },
      { ...bare, typeId: 'nanyue-platform', typeName: getProjectType(call, 'nanyue-platform')!.name },
    ];
    const page = renderAwardConfirmationPage(withTypes);
    const section = (typeId: string) => {
      const name = getProjectType(call, typeId)!.name.zh;
      return page.slice(page.indexOf(`<h2>${name}`), page.indexOf('</section>', page.indexOf(`<h2>${name}`)));
    };
    const forum = section('lingnan-forum');
    expect(forum).toContain('已由排名按申请书核对');
    expect(forum).toContain('基础学科领域项目同等条件下优先考虑');
    expect(forum).not.toContain('排名未采用');
    const media = section('communication-programme');
    expect(media).toContain('排名未采用（申请书不含可核对的信息）');
    expect(media).toContain('与国家、省级主流媒体有良好合作关系，有相关项目实施经验者优先考虑');
    expect(media).toContain('请您在确认或退回修改时自行斟酌这些条件');
    const nanyue = section('nanyue-platform');
    const notApplied = nanyue.slice(nanyue.indexOf('排名未采用'));
    expect(notApplied).toContain('承担过省科协相关项目的同等条件下优先考虑');
    expect(notApplied).not.toContain('申请单位有配套资金支持的优先考虑');
    expect(nanyue.slice(0, nanyue.indexOf('排名未采用'))).toContain('申请单位有配套资金支持的优先考虑');
  });

  test('the further tie-breaks are labelled the department assumptions, not the notice, in the summary and in each row they decided', () => {
    expect(html).toContain('其后依次：专家评分离散度（标准差）小者在前；提交时间早者在前。');
    expect(html).toContain('为学会学术部的工作假设，非通知规定');
    expect(html).not.toMatch(/通知规定的优先条件、专家评分离散程度/);
    const spread = proposal();
    spread.types[0].entries[1] = entry(2, {
      tieBreak: { with: ['app-3'], by: 'spread', reason: { zh: '同分，离散度小者在前。', en: 'spread' } },
    });
    const page = renderAwardConfirmationPage(spread);
    expect(page).toContain('<td>同分，离散度小者在前。（学会学术部假设，非通知规定） <span class="en" lang="en">');
    // a priority tie-break is the notice's: no such label
    expect(html).toContain('<td>同分，本项目符合优先条件：联合承办</td>');
  });

  test('a type ranking more than it shows says how many rank below the table, none of them awarded', () => {
    const many = proposal();
    many.types[0] = { ...many.types[0], ranked: 27_004 };
    const page = renderAwardConfirmationPage(many);
    expect(page).toContain('另有 27000 项排名在后，均不资助；确认后可在立项结果清单中查看全部排名。');
    expect(page).toContain('27000 more rank below these, none awarded');
  });

  test('while OPEN: one form, confirm or revise with reasons', () => {
    const all = forms(html);
    expect(all).toHaveLength(1);
    expect(all[0]).toContain(`action="${escapeHtml(POST_URL)}"`);
    expect(all[0]).toContain('value="confirm"');
    expect(all[0]).toContain('value="revise"');
    expect(all[0]).toContain('name="reasons"');
    expect(html.indexOf('<form')).toBeGreaterThan(html.indexOf('学术沙龙'));
  });

  test('not OPEN: no form, the closed state shown', () => {
    const done = renderAwardConfirmationPage(
      proposal({ state: 'DONE', answer: { answer: 'confirm', answeredAt: '2024-01-21T09:00:00.000+08:00' } }),
    );
    expect(forms(done)).toHaveLength(0);
    expect(done).toContain('此任务已处理');
    expect(done).toContain('确认立项建议');
    const expired = renderAwardConfirmationPage(proposal({ state: 'EXPIRED' }));
    expect(forms(expired)).toHaveLength(0);
    expect(expired).toContain('此链接已过期');
    expect(renderAwardConfirmationPage(proposal({ state: 'CANCELLED' }))).toContain('此链接已失效');
  });

  test('hostile names, titles and reasons show as text', () => {
    const t = proposal().types[0];
    const page = renderAwardConfirmationPage(
      proposal({
        assignee: { name: hostile },
        postUrl: `${POST_URL}"><script>x</script>`,
        types: [
          {
            ...t,
            typeName: { zh: hostile, en: hostile },
            unitNames: { 'unit-1': hostile },
            entries: [
              entry(1, {
                title: hostile,
                tieBreak: { with: ['x'], by: 'submission', reason: { zh: hostile, en: hostile } },
              }),
            ],
            notScored: [{ applicationId: hostile, reason: hostile }],
          },
        ],
      }),
    );
    noScript(page);
    expect(page).toContain(`<td>${escapeHtml(hostile)}</td>`);
  });
});

describe('renderAwardConfirmed', () => {
  test('says what was recorded: a revision with its reasons', () => {
    const html = renderAwardConfirmed(
      proposal({
        state: 'DONE',
        answer: { answer: 'revise', reasons: ['沙龙名额调整', hostile], answeredAt: '2024-01-21T09:00:00.000+08:00' },
      }),
    );
    expect(html).toContain('已登记');
    expect(html).toContain('退回修改');
    expect(html).toContain('<li>沙龙名额调整</li>');
    expect(forms(html)).toHaveLength(0);
    noScript(html);
  });

  test('a confirmation', () => {
    const html = renderAwardConfirmed(
      proposal({ state: 'DONE', answer: { answer: 'confirm', answeredAt: '2024-01-21T09:00:00.000+08:00' } }),
    );
    expect(html).toContain('确认立项建议');
    expect(html).toContain('立项建议已确认');
  });
});
