import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateApplication } from '@shared/domain/application-form';
import { formalCheck } from '@shared/domain/formal-check';
import { call, example } from '../support/fixtures';

const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
/** The README and the reference it links to: the form (with its examples) and the API moved to docs/. */
const readme = read('README.md');
const form = read('docs/application-form.md');
const api = read('docs/api.md');
/** Everything a reader is shown: the README and every page of docs/. */
const docs = [
  readme,
  ...readdirSync(join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => read(`docs/${file}`)),
].join('\n');
const documented = [...form.matchAll(/<!-- example: ([a-z-]+) -->\n+```json\n([\s\S]*?)\n```/g)].map(
  ([, typeId, json]) => ({ typeId, json }),
);

test('the form reference shows one complete example for each of the four categories', () => {
  const categories = documented.map(
    ({ typeId }) => call().projectTypes.find((type) => type.typeId === typeId)?.category.id,
  );
  expect(categories.sort()).toEqual(['academic-exchange', 'party-building', 'society-capacity', 'support-programme']);
});

test.each(documented)(
  'the form reference example of $typeId is the seed example and passes the form and the formal check',
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

test("the README and docs/ cite the notice only for what they say: their quotes are the notice's words, the form's checks the product's", () => {
  const quotes = [...docs.matchAll(/「([^」]+)」/g)].map(([, quote]) => quote);
  expect(quotes.length).toBeGreaterThanOrEqual(2);
  expect(quotes.filter((quote) => !notice.includes(quote.replace(/\s+/g, '')))).toEqual([]);
  // Rule 6 asks for a performance-target review, not that every list have an indicator with a unit.
  const targetsRow = form.split('\n').find((line) => line.startsWith('| `performanceTargets`')) ?? '';
  expect(targetsRow).toContain("the product's and not the notice's");
  expect(targetsRow).toContain('「绩效目标审核不合格的项目将不得参加下一阶段的评审」');
  // The summary report's per-target form is the department's, named as such beside the notice's rule 5.
  const roundRow = api.split('\n').find((line) => line.startsWith('| `POST /calls/{callId}/reporting-round`')) ?? '';
  expect(roundRow).toContain('「按省科协项目总结通知要求及时提交项目总结报告」');
  expect(roundRow).toContain("the department's working assumption, `summaryReport.assumptions`");
});
