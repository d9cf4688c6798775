import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateApplication } from '@shared/domain/application-form';
import { formalCheck } from '@shared/domain/formal-check';
import { call, example } from '../support/fixtures';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const documented = [...readme.matchAll(/<!-- example: ([a-z-]+) -->\n```json\n([\s\S]*?)\n```/g)].map(
  ([, typeId, json]) => ({ typeId, json }),
);

test('the README shows one complete example for each of the four categories', () => {
  const categories = documented.map(
    ({ typeId }) => call().projectTypes.find((type) => type.typeId === typeId)?.category.id,
  );
  expect(categories.sort()).toEqual(['academic-exchange', 'party-building', 'society-capacity', 'support-programme']);
});

test.each(documented)(
  'the README example of $typeId is the seed example and passes the form and the formal check',
  ({ typeId, json }) => {
    const body = JSON.parse(json);
    expect(body).toEqual(example(typeId));
    const parsed = validateApplication(call(), body);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formalCheck(call(), parsed.value)).toEqual({ passed: true, reasons: [] });
  },
);

/** The notice itself (seeds/call-notice-2024.txt), whitespace removed. */
const notice = readFileSync(join(root, 'seeds/call-notice-2024.txt'), 'utf8').replace(/\s+/g, '');

test("the README cites the notice only for what it says: its quotes are the notice's words, the form's checks the product's", () => {
  const quotes = [...readme.matchAll(/「([^」]+)」/g)].map(([, quote]) => quote);
  expect(quotes.length).toBeGreaterThanOrEqual(2);
  expect(quotes.filter((quote) => !notice.includes(quote.replace(/\s+/g, '')))).toEqual([]);
  // Rule 6 asks for a performance-target review, not that every list have an indicator with a unit.
  const targetsRow = readme.split('\n').find((line) => line.startsWith('| `performanceTargets`')) ?? '';
  expect(targetsRow).toContain("the product's and not the notice's");
  expect(targetsRow).toContain('「绩效目标审核不合格的项目将不得参加下一阶段的评审」');
  // The summary report's per-target form is the department's, named as such beside the notice's rule 5.
  const roundRow = readme.split('\n').find((line) => line.startsWith('| `POST /calls/{callId}/reporting-round`')) ?? '';
  expect(roundRow).toContain('「按省科协项目总结通知要求及时提交项目总结报告」');
  expect(roundRow).toContain("the department's working assumption, `summaryReport.assumptions`");
});
