import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateApplication } from '@shared/domain/application-form';
import { formalCheck } from '@shared/domain/formal-check';
import { call, example } from '../support/fixtures';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const documented = [...readme.matchAll(/<!-- example: ([a-z-]+) -->\n```json\n([\s\S]*?)\n```/g)].map(([, typeId, json]) => ({ typeId, json }));

test('the README shows one complete example for each of the four categories', () => {
  const categories = documented.map(({ typeId }) => call().projectTypes.find((type) => type.typeId === typeId)?.category.id);
  expect(categories.sort()).toEqual(['academic-exchange', 'party-building', 'society-capacity', 'support-programme']);
});

test.each(documented)('the README example of $typeId is the seed example and passes the form and the formal check', ({ typeId, json }) => {
  const body = JSON.parse(json);
  expect(body).toEqual(example(typeId));
  const parsed = validateApplication(call(), body);
  expect(parsed.ok).toBe(true);
  if (parsed.ok) expect(formalCheck(call(), parsed.value)).toEqual({ passed: true, reasons: [] });
});
