/**
 * zod as every schema of the project uses it: import `* as z` from here, never from 'zod' itself.
 *
 * It is zod/mini, zod's functional API (`z.optional(s)`, `s.check(z.maxLength(n))`), because a
 * Lambda bundle then carries only the functions its schemas call (about 20 KB of zod instead of
 * about 100 KB with the classic API, whose every schema also has dozens of methods attached when
 * it is built, at cold start).
 */
import * as z from 'zod/mini';
// The one locale by name: `z.locales.en` would bundle every locale zod has.
import { en } from 'zod/locales';

// zod/mini configures no locale, so without this every issue's message would be a bare "Invalid
// input". The messages reach people (the catalogue's and the expert pool's load errors, the ZodError
// of a step), so they stay the English ones classic zod configured by itself. Here, in the module
// every schema module takes zod from, so no schema can ever run before it.
z.config(en());
// Classic zod also installed its memoizer, which only serves recursive schemas (z.lazy, getters) and
// takes itself out of any other schema on its first parse. No schema here is recursive; one that
// becomes so needs `z.config({ memoizer: z.memoizer() })` here.

export * from 'zod/mini';
