/**
 * The call catalogue: a call (its project types, quotas, funding, deadlines, rules and
 * checkable requirements) is data in `seeds/`, validated here once, at first use.
 *
 * Nothing about a call is hard-coded: next year's call is a new seed file `seeds/call-<year>.json`,
 * and nothing else changes.
 *
 * The schemas and queries are pure; only `seeds.ts` reads files. Code that must also run in a
 * browser imports the modules it needs (`call-schema`, `project-type`, `call-queries`), not this one.
 */
export { isIsoDate, fieldSchemas, type Bilingual } from './fields';
export * from './checks';
export * from './project-type';
export * from './reviews';
export * from './call-schema';
export * from './call-queries';
export * from './seeds';
