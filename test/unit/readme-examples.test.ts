import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateApplication } from '@shared/domain/application-form';
import { getCall } from '@shared/domain/catalogue';
import { formalCheck } from '@shared/domain/formal-check';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const documented = [...readme.matchAll(/<!-- example: ([a-z-]+) -->\n```json\n([\s\S]*?)\n```/g)].map(([, typeId, json]) => ({ typeId, json }));

test('the README shows one complete example for each of the four categories', () => {
  const call = getCall('gdast-2024')!;
  const categories = documented.map(({ typeId }) => call.projectTypes.find((type) => type.typeId === typeId)?.category.id);
  expect(categories.sort()).toEqual(['academic-exchange', 'party-building', 'society-capacity', 'support-programme']);
});

test.each(documented)('the README example of $typeId is the seed example and passes the form and the formal check', ({ typeId, json }) => {
  const body = JSON.parse(json);
  expect(body).toEqual(JSON.parse(readFileSync(join(root, 'seeds/examples', `${typeId}.json`), 'utf8')));
  const call = getCall('gdast-2024')!;
  const parsed = validateApplication(call, body);
  expect(parsed.ok).toBe(true);
  if (parsed.ok) expect(formalCheck(call, parsed.value)).toEqual({ passed: true, reasons: [] });
});
