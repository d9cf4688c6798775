/**
 * Loading the calls and the sample units from `seeds/`, validated once, at first use. Kept apart from
 * the schemas because it reads files through the bundler: a browser imports the schemas, not this.
 */
import * as z from '../zod';
import units from '@seeds/units.json';
import { deepFreeze } from '../deep-freeze';
import { notFound } from '../errors';
import { once } from '../once';
import { callSchema, unitSeedSchema, type Call, type UnitSeed } from './call-schema';

interface CallSeed {
  source: string;
  /** the seed as written, not yet validated */
  raw: unknown;
}

/** The years a call seed may be for. */
const SEED_YEARS = { from: 2000, to: 2100 };

/**
 * Every `seeds/call-<year>.json` there is. The require's path is a template, so esbuild bundles
 * every file the pattern matches (and jest reads them from disk): a new seed needs no code. A year
 * without a file is simply skipped.
 */
const readCallSeeds = once((): CallSeed[] => {
  const seeds: CallSeed[] = [];
  for (let year = SEED_YEARS.from; year <= SEED_YEARS.to; year++) {
    let raw: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a glob the bundler expands; see above
      raw = require(`../../../seeds/call-${year}.json`);
    } catch {
      continue;
    }
    seeds.push({ source: `seeds/call-${year}.json`, raw });
  }
  return seeds;
});

/** Validates one call seed; throws an Error naming the seed and every invalid field. */
export function parseCall(raw: unknown, source = 'call seed'): Call {
  const result = callSchema().safeParse(raw);
  if (!result.success) {
    throw new Error(`Invalid call catalogue in ${source}:\n${z.prettifyError(result.error)}`);
  }
  return deepFreeze(result.data);
}

let calls: Call[] | undefined;
let unitSeeds: UnitSeed[] | undefined;
/** Each seed validated so far, by its source: the same frozen call whether getCall or listCalls read it first. */
const validated = new Map<string, Call>();

function validatedCall({ source, raw }: CallSeed): Call {
  let call = validated.get(source);
  if (!call) {
    call = parseCall(raw, source);
    validated.set(source, call);
  }
  return call;
}

/** Every call in the seeds, validated once (at first use) and frozen. */
export function listCalls(): Call[] {
  if (!calls) {
    const parsed = readCallSeeds().map(validatedCall);
    const ids = parsed.map((c) => c.callId);
    if (new Set(ids).size !== ids.length) throw new Error(`Invalid call seeds: duplicate callId in ${ids.join(', ')}`);
    calls = deepFreeze(parsed);
  }
  return calls;
}

/**
 * The call, validated at its first use. Only the seed that names it is validated: a request is about
 * one call, and validating every seed would make its first answer wait on the others (docs/measuring.md).
 * Every seed is still validated by listCalls, and in `npm test`.
 */
export function getCall(callId: string): Call | undefined {
  const named = calls ? [] : readCallSeeds().filter(({ raw }) => (raw as { callId?: unknown })?.callId === callId);
  // All known already, or two seeds claiming one call: listCalls refuses those, naming them, as it always has.
  if (calls || named.length > 1) return listCalls().find((c) => c.callId === callId);
  return named.length === 1 ? validatedCall(named[0]) : undefined;
}

/** The call, or NOT_FOUND: what a request about a call checks first. */
export function requireCall(callId: string): Call {
  const call = getCall(callId);
  if (!call) throw notFound(`Call ${callId}`);
  return call;
}

/** The sample member societies in seeds/units.json, validated once. */
export function listSeedUnits(): UnitSeed[] {
  if (!unitSeeds) {
    const result = z.array(unitSeedSchema()).safeParse(units);
    if (!result.success) throw new Error(`Invalid seeds/units.json:\n${z.prettifyError(result.error)}`);
    unitSeeds = deepFreeze(result.data);
  }
  return unitSeeds;
}
