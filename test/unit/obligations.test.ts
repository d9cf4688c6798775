import type { ApplicationForm } from '@shared/domain/application-form';
import { getProjectType } from '@shared/domain/catalogue';
import {
  addDays,
  addMonths,
  dueDateOf,
  fileKey,
  fileNameProblem,
  forumEnd,
  obligationsFor,
  OBJECT_KEY_MAX_BYTES,
  readFileKey,
  readReport,
  readUploadRequest,
  readForumDates,
  redatedFromForum,
  standingFrom,
  standingRefusal,
  type ObligationRecord,
} from '@shared/domain/obligations';
import { call, example } from '../support/fixtures';

const form = (typeId: string, patch: Record<string, unknown> = {}) =>
  ({ ...example(typeId), ...patch }) as unknown as ApplicationForm;

describe('dates: calendar months and weeks, from the right event', () => {
  test.each([
    ['2024-10-19', 1, '2024-11-19'],
    ['2024-01-31', 1, '2024-02-29'], // no 31 February: the month's last day
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2024-08-31', 6, '2025-02-28'],
  ])('%s plus %i calendar month(s) is %s, not 30 days', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });

  test('a week is 7 days, across a month', () => {
    expect(addDays('2024-10-28', 7)).toBe('2024-11-04');
  });

  test("a forum's end is its start date plus its days; without a date on the form, none (never the project's end)", () => {
    expect(forumEnd(form('lingnan-forum'))).toBe('2024-10-19');
    const undated = form('lingnan-forum');
    delete (undated.details as { startDate?: string }).startDate;
    expect(forumEnd(undated)).toBeUndefined();
    const [stats] = getProjectType(call(), 'lingnan-forum')!.obligations;
    expect(dueDateOf(stats, undated)).toBeUndefined();
  });

  test("a forum stored without its date owes its reports, waiting for the forum's real dates", () => {
    const undated = form('lingnan-forum');
    delete (undated.details as { startDate?: string }).startDate;
    const owed = obligationsFor(
      call(),
      getProjectType(call(), 'lingnan-forum')!,
      { applicationId: 'a', unitId: 'u', form: undated },
      'x',
    );
    expect(owed.map((o) => [o.report, o.state, o.dueOn])).toEqual([
      ['forum-statistics', 'AWAITING_DATE', undefined],
      ['development-report', 'AWAITING_DATE', undefined],
      ['summary', 'AWAITING_DATE', undefined],
    ]);
  });

  test('a forum that moves: its reports are due from its real end, a week and a calendar month after it', () => {
    const type = getProjectType(call(), 'lingnan-forum')!;
    const [stats, development] = obligationsFor(
      call(),
      type,
      { applicationId: 'a', unitId: 'u', form: form('lingnan-forum') },
      'x',
    );
    const moved = { startDate: '2024-11-28', endDate: '2024-11-30' };
    const s = redatedFromForum(stats, type.obligations[0], moved, '2024-10-01T09:00:00+08:00')!;
    const d = redatedFromForum(development, type.obligations[1], moved, '2024-10-01T09:00:00+08:00')!;
    expect([s.fromDate, s.dueOn, s.dueAt, s.state]).toEqual([
      '2024-11-30',
      '2024-12-07',
      '2024-12-07T15:59:59.999Z',
      'OPEN',
    ]);
    expect([d.fromDate, d.dueOn]).toEqual(['2024-11-30', '2024-12-30']);
    expect(s.forumDates).toEqual({ ...moved, recordedAt: '2024-10-01T09:00:00+08:00' });
    // A report waiting for its date is open once the dates are there.
    expect(
      redatedFromForum(
        { ...stats, state: 'AWAITING_DATE', dueOn: undefined, dueAt: undefined },
        type.obligations[0],
        moved,
        'x',
      )?.state,
    ).toBe('OPEN');
    // A report due from the project's end does not move with the forum.
    const comms = getProjectType(call(), 'communication-programme')!;
    const data = comms.obligations.find((o) => o.report === 'communication-data-report')!;
    expect(redatedFromForum(stats, data, moved, 'x')).toBeUndefined();
  });

  test("a forum's real dates: each a real date, the end not before the start, every bad field named", () => {
    expect(readForumDates({ startDate: '2024-11-28', endDate: '2024-11-30' })).toEqual({
      ok: true,
      dates: { startDate: '2024-11-28', endDate: '2024-11-30' },
    });
    const none = readForumDates({});
    expect(none.ok ? [] : none.details.map((d) => d.path).sort()).toEqual(['endDate', 'startDate']);
    const bad = readForumDates({ startDate: '2024-02-30', endDate: 20241130, venue: 'x' });
    expect(bad.ok ? [] : bad.details.map((d) => d.path).sort()).toEqual(['endDate', 'startDate', 'venue']);
    const backwards = readForumDates({ startDate: '2024-11-30', endDate: '2024-11-28' });
    expect(backwards.ok ? [] : backwards.details).toEqual([
      expect.objectContaining({ path: 'endDate', code: 'END_BEFORE_START' }),
    ]);
    expect(readForumDates(null).ok).toBe(false);
  });

  test("the forum's reports count from the forum's end, the communication programme's from the project's end", () => {
    const forumType = getProjectType(call(), 'lingnan-forum')!;
    const [stats, development] = forumType.obligations;
    expect(dueDateOf(stats, form('lingnan-forum'))).toEqual({ fromDate: '2024-10-19', dueOn: '2024-10-26' });
    expect(dueDateOf(development, form('lingnan-forum'))).toEqual({ fromDate: '2024-10-19', dueOn: '2024-11-19' });
    const comms = getProjectType(call(), 'communication-programme')!;
    const data = comms.obligations.find((o) => o.report === 'communication-data-report')!;
    expect(dueDateOf(data, form('communication-programme'))).toEqual({ fromDate: '2024-12-20', dueOn: '2025-01-20' });
  });

  test('an awarded application owes its type’s reports and the summary report, which waits for its date', () => {
    const owed = obligationsFor(
      call(),
      getProjectType(call(), 'lingnan-forum')!,
      { applicationId: 'a', unitId: 'u', form: form('lingnan-forum') },
      '2023-11-01T09:00:00+08:00',
    );
    expect(owed.map((o) => [o.report, o.state, o.dueOn])).toEqual([
      ['forum-statistics', 'OPEN', '2024-10-26'],
      ['development-report', 'OPEN', '2024-11-19'],
      ['summary', 'AWAITING_DATE', undefined],
    ]);
    expect(owed[0].dueAt).toBe('2024-10-26T15:59:59.999Z'); // the end of the day in Beijing
    expect(owed[2].targets?.length).toBeGreaterThan(3);
    // A type without reports owes only its summary.
    expect(
      obligationsFor(
        call(),
        getProjectType(call(), 'lecture-hall')!,
        { applicationId: 'b', unitId: 'u', form: form('lecture-hall') },
        'x',
      ).map((o) => o.report),
    ).toEqual(['summary']);
  });

  test("the notice's duties without a date of their own are owed as statements, due with the summary report", () => {
    const owed = (typeId: string) =>
      obligationsFor(
        call(),
        getProjectType(call(), typeId)!,
        { applicationId: 'a', unitId: 'u', form: form(typeId) },
        'x',
      ).map((o) => [o.obligationId, o.report, o.dueFrom, o.state, o.text.zh.slice(0, 12)]);
    expect(owed('communication-programme')).toEqual([
      ['communication-data-report', 'communication-data-report', 'project-end', 'OPEN', '项目结束后1个月内提交传'],
      ['opinion-guidance-review', 'duty', 'reporting-round', 'AWAITING_DATE', '按照《岭南科学论坛》管理'],
      ['keep-media-material', 'duty', 'reporting-round', 'AWAITING_DATE', '项目相关图文及音视频资料'],
      ['summary-report', 'summary', 'reporting-round', 'AWAITING_DATE', expect.any(String)],
    ]);
    expect(owed('activity-month')).toEqual([
      ['collect-2024-activities', 'duty', 'reporting-round', 'AWAITING_DATE', '按要求收集汇总各省级学会'],
      ['summary-report', 'summary', 'reporting-round', 'AWAITING_DATE', expect.any(String)],
    ]);
  });

  test("a duty's statement: what was done, with its signed PDF; every bad field named", () => {
    expect(
      readReport(
        { report: 'duty' },
        { fields: { statement: '已统一保存于学会资料室。' }, attachments: [{ key: 'k' }] },
      ),
    ).toEqual({
      ok: true,
      fields: { statement: '已统一保存于学会资料室。' },
      attachmentKeys: ['k'],
    });
    const bad = readReport({ report: 'duty' }, { fields: { statement: ' ', extra: 1 } });
    expect(!bad.ok && bad.details.map((d) => d.path).sort()).toEqual([
      'attachments',
      'fields.extra',
      'fields.statement',
    ]);
  });
});

/** A report's uploads' folder as the use case makes it: pending/{application}/{obligation}/. */
const FOLDER = 'pending/0b6c1f7e-4a8e-4c3b-9a55-2f0e7d1c9a10/forum-statistics/';

describe('reports and their files, every bad field named', () => {
  test('an upload is announced with a name, an accepted type and a size within the limit', () => {
    expect(readUploadRequest({ fileName: 'r.pdf', contentType: 'application/pdf', size: 1000 }, [FOLDER])).toEqual({
      ok: true,
      fileName: 'r.pdf',
      contentType: 'application/pdf',
      size: 1000,
    });
    const bad = readUploadRequest({ fileName: '../x', contentType: 'text/html', size: 21 * 1024 * 1024 }, [FOLDER]);
    expect(bad.ok || bad.details.map((d) => `${d.path}:${d.code}`)).toEqual([
      'fileName:INVALID_VALUE',
      'contentType:UNSUPPORTED_TYPE',
      'size:TOO_LARGE',
    ]);
  });

  describe('a file name is one the key can hold: one rule for the upload request and the hand-in', () => {
    const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
    /** The longest name of repeated `ch` that still fits under `folder`: at most 200 characters, each as URL-encoded in the key. */
    const longest = (ch: string, folder = FOLDER) =>
      ch.repeat(Math.min(200, Math.floor((OBJECT_KEY_MAX_BYTES - bytes(folder)) / bytes(encodeURIComponent(ch)))));

    test('the whole key counts against 1,024 bytes, its folder included, each character as it is encoded', () => {
      // 110 Chinese characters: 110 × 9 bytes encoded (%E8%AF%B7…) pass 1,024 with the folder in front.
      const chinese = '请'.repeat(110);
      expect(bytes(fileKey(FOLDER, chinese))).toBeGreaterThan(OBJECT_KEY_MAX_BYTES);
      expect(fileNameProblem(chinese, [FOLDER])).toEqual({
        code: 'TOO_LONG',
        message: expect.stringContaining('1024'),
      });
      const upload = readUploadRequest({ fileName: chinese, contentType: 'application/pdf', size: 10 }, [FOLDER]);
      expect(upload.ok || upload.details).toEqual([expect.objectContaining({ path: 'fileName', code: 'TOO_LONG' })]);
      // The longest that fits is taken, one character more is not.
      for (const ch of ['请', 'a', '%', '😀']) {
        const fits = longest(ch);
        expect(bytes(fileKey(FOLDER, fits))).toBeLessThanOrEqual(OBJECT_KEY_MAX_BYTES);
        expect({ ch, problem: fileNameProblem(fits, [FOLDER]) }).toEqual({ ch, problem: undefined });
        expect({ ch, problem: fileNameProblem(fits + ch, [FOLDER])?.code }).toEqual({ ch, problem: 'TOO_LONG' });
      }
    });

    test('every folder the file will be kept under counts: the longest key decides', () => {
      const fits = longest('请');
      const longer = `${FOLDER}a-longer-folder/`;
      expect(fileNameProblem(fits, [FOLDER])).toBeUndefined();
      expect(fileNameProblem(fits, [FOLDER, longer])?.code).toBe('TOO_LONG');
      expect(fileNameProblem(fits, [longer, FOLDER])?.code).toBe('TOO_LONG');
      expect(fileNameProblem(longest('请', longer), [FOLDER, longer])).toBeUndefined();
    });

    test.each([
      ['..', 'a parent folder'],
      ['a..pdf', 'two dots in a row'],
      ['.', 'a lone dot'],
      ['dir/r.pdf', 'a slash'],
      ['dir\\r.pdf', 'a backslash'],
      ['r\u0000.pdf', 'a NUL'],
      ['r\n.pdf', 'a newline'],
      ['r\u007f.pdf', 'DEL'],
      ['r\u0085.pdf', 'a C1 control'],
      ['r\u2028.pdf', 'a line separator'],
      ['r\u202efdp.exe', 'a right-to-left override'],
      ['r\ud800.pdf', 'a lone surrogate (no UTF-8 form)'],
    ])('%j (%s) is refused with INVALID_VALUE, at the upload request too, never thrown', (name) => {
      expect(fileNameProblem(name, [FOLDER])?.code).toBe('INVALID_VALUE');
      const upload = readUploadRequest({ fileName: name, contentType: 'application/pdf', size: 10 }, [FOLDER]);
      expect(upload.ok || upload.details).toEqual([
        expect.objectContaining({ path: 'fileName', code: 'INVALID_VALUE' }),
      ]);
    });

    test('an empty or missing name is REQUIRED; ordinary names, Chinese and spaces included, are fine', () => {
      expect(fileNameProblem('', [FOLDER])?.code).toBe('REQUIRED');
      for (const name of ['总结报告（盖章）.pdf', 'photo 1.JPG', "O'Brien & co. 100%.png", 'v1.2.pdf', '.hidden.pdf'])
        expect({ name, problem: fileNameProblem(name, [FOLDER]) }).toEqual({ name, problem: undefined });
    });

    test('a key made for a name reads back to that name; anything else a report names is not an upload key', () => {
      const upload = `${FOLDER}0b6c1f7e-4a8e-4c3b-9a55-2f0e7d1c9a10/`;
      for (const name of ['总结报告（盖章）.pdf', "O'Brien & co. 100%.png", longest('请', upload)])
        expect(readFileKey(fileKey(upload, name), FOLDER)).toEqual({ folder: upload, fileName: name });
      for (const key of [
        `${FOLDER}x/..`, // made before the rule: refused at hand-in as at the request
        `${FOLDER}x/a%2F..%2Fb.pdf`,
        `${FOLDER}x/${'a'.repeat(OBJECT_KEY_MAX_BYTES)}.pdf`, // too long for S3
        `${FOLDER}x/r%00.pdf`,
        `${FOLDER}x/%E0.pdf`, // not UTF-8 once decoded
        `${FOLDER}x/r\n.pdf`, // a raw control character: not as the key was made
        `${FOLDER}x/报告.pdf`, // not encoded: not a key made here
        `${FOLDER}r.pdf`, // no upload folder
        `${FOLDER}x/y/r.pdf`, // one folder too many
        `${FOLDER}/r.pdf`,
        `pending/other/obligation/x/r.pdf`, // another report's
        '',
      ])
        expect({ key, read: readFileKey(key, FOLDER) }).toEqual({ key, read: undefined });
    });
  });

  test('a summary report says what was achieved for every target, and only for the targets of the form', () => {
    const targets = [
      { path: 'effect.0', indicator: 'a', target: '1' },
      { path: 'effect.1', indicator: 'b', target: '2' },
    ];
    const read = readReport(
      { report: 'summary', targets },
      {
        fields: {
          summary: 's',
          achieved: [
            { path: 'effect.0', achieved: '1' },
            { path: 'effect.9', achieved: 'x' },
          ],
        },
        attachments: [{ key: 'k' }],
      },
    );
    expect(read.ok || read.details.map((d) => `${d.path}:${d.code}`)).toEqual([
      'fields.achieved.1.path:UNKNOWN_TARGET',
      'fields.achieved:TARGET_MISSING',
    ]);
    const none = readReport({ report: 'forum-statistics' }, { fields: {} });
    expect(none.ok).toBe(false);
    expect(!none.ok && none.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['fields.startDate', 'fields.offlineAttendance', 'attachments']),
    );
  });
});

describe('standing in the next call, from the previous call’s summary reports', () => {
  const summary = (patch: Partial<ObligationRecord>): ObligationRecord => ({
    applicationId: 'app-1',
    callId: 'gdast-2024',
    unitId: 'u',
    projectTypeId: 'lecture-hall',
    title: '科普讲堂',
    obligationId: 'summary-report',
    report: 'summary',
    text: { zh: 'z', en: 'e' },
    dueFrom: 'reporting-round',
    dueOn: '2024-07-15',
    dueAt: '2024-07-15T15:59:59.999Z',
    state: 'OPEN',
    versions: 0,
    createdAt: 'x',
    updatedAt: 'x',
    ...patch,
  });
  const after = new Date('2024-08-20T00:00:00+08:00');

  test('handed in on time and accepted, every target met: not barred', () => {
    expect(
      standingFrom(
        [
          summary({
            state: 'ACCEPTED',
            firstSubmittedAt: '2024-07-10T00:00:00Z',
            targets: [{ path: 'p', indicator: 'i', target: 't', met: true }],
          }),
        ],
        after,
      ).barred,
    ).toBe(false);
  });
  test('never handed in by its due date: barred, naming the project and the report', () => {
    const verdict = standingFrom([summary({})], after);
    expect(verdict.barred).toBe(true);
    expect(verdict.reasons[0].zh).toContain('科普讲堂');
    expect(verdict.reasons[0].zh).toContain('项目总结报告');
  });
  test('never handed in: barred citing the notice; not yet due: not barred', () => {
    expect(standingFrom([summary({})], after).breaches).toEqual([
      expect.objectContaining({ rule: 'summary-missing', basis: 'notice' }),
    ]);
    expect(standingRefusal(standingFrom([summary({})], after).breaches).zh).toContain('通知二（四）');
    expect(standingFrom([summary({})], new Date('2024-07-01T00:00:00+08:00')).barred).toBe(false);
  });
  test('handed in on time and not yet reviewed: never barred, at or after the due date, whatever the assumptions', () => {
    const pending = summary({ state: 'SUBMITTED', firstSubmittedAt: '2024-07-10T00:00:00Z', versions: 1 });
    const all = { barIfSummaryLate: true, barIfSummaryReturnedAndNotResubmitted: true };
    for (const at of ['2024-07-15T23:59:59+08:00', '2024-07-16T00:00:01+08:00', '2025-03-01T00:00:00+08:00'])
      expect({ at, verdict: standingFrom([pending], new Date(at), all) }).toEqual({
        at,
        verdict: { barred: false, reasons: [], breaches: [] },
      });
  });
  test('handed in late: barred only when the department assumes so, labelled as its assumption', () => {
    const late = summary({ state: 'ACCEPTED', firstSubmittedAt: '2024-07-20T00:00:00Z' });
    expect(standingFrom([late], after).barred).toBe(false);
    const verdict = standingFrom([late], after, { barIfSummaryLate: true });
    expect(verdict.breaches).toEqual([
      expect.objectContaining({ rule: 'summary-late', basis: 'department-assumption' }),
    ]);
    const refusal = standingRefusal(verdict.breaches);
    expect(refusal.zh).toContain('学会学术部的规定，工作假设');
    expect(refusal.zh).not.toContain('通知二（四）：');
    expect(refusal.en).toContain("the department's rule (working assumption)");
    expect(refusal.details).toEqual([expect.objectContaining({ code: 'DEPARTMENT_ASSUMPTION' })]);
  });
  test('a target found not met: barred, naming the target', () => {
    const verdict = standingFrom(
      [
        summary({
          state: 'ACCEPTED',
          firstSubmittedAt: '2024-07-10T00:00:00Z',
          targets: [{ path: 'p', indicator: '参会人数', target: '300', met: false }],
        }),
      ],
      after,
    );
    expect(verdict.barred).toBe(true);
    expect(verdict.reasons[0].zh).toContain('参会人数');
  });
  test('handed in on time, returned, and not handed in again by the due date: barred only when the department assumes so', () => {
    const returned = summary({ state: 'RETURNED', firstSubmittedAt: '2024-07-10T00:00:00Z' });
    expect(standingFrom([returned], after).barred).toBe(false);
    expect(standingFrom([returned], after, { barIfSummaryReturnedAndNotResubmitted: true }).breaches).toEqual([
      expect.objectContaining({ rule: 'summary-returned', basis: 'department-assumption' }),
    ]);
    // Handed in again and awaiting review: not barred.
    expect(
      standingFrom([{ ...returned, state: 'SUBMITTED' }], after, { barIfSummaryReturnedAndNotResubmitted: true })
        .barred,
    ).toBe(false);
  });
  test('a target found not met: barred citing the notice', () => {
    const verdict = standingFrom(
      [
        summary({
          state: 'ACCEPTED',
          firstSubmittedAt: '2024-07-10T00:00:00Z',
          targets: [{ path: 'p', indicator: '参会人数', target: '300', met: false }],
        }),
      ],
      after,
    );
    expect(verdict.breaches).toEqual([expect.objectContaining({ rule: 'targets-unmet', basis: 'notice' })]);
    expect(standingRefusal(verdict.breaches).details).toEqual([
      expect.objectContaining({ code: 'PREVIOUS_CALL_OBLIGATION' }),
    ]);
  });
});
