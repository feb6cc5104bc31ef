import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * The one way functions/ reaches zod, imported as `import * as z from '../zod.ts'`: zod 4's tree-shakable
 * `zod/mini` (the same library, schemas, checks and messages as classic `zod`, with checks written as functions
 * instead of methods), so a bundle carries only what its schemas use rather than all of classic zod's ~440 KiB.
 *
 * Classic zod registers its English messages on first use; `zod/mini` ships without them, so they are registered
 * here, once, before any schema can parse: every default message a caller or a log can see ("Invalid input:
 * expected object, received number") stays the same word for word.
 *
 * Re-exported with `export *`, not as one `z` object: a namespace object that escapes a module makes esbuild keep
 * every export of zod, all 40 locales included (430 KiB instead of about 16).
 */
config(en());

export * from 'zod/mini';
