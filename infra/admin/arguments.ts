import { parseArgs } from 'node:util';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  aws: { type: 'boolean' },
  name: { type: 'string' },
  token: { type: 'string' },
  'app-id': { type: 'string' },
  'grace-seconds': { type: 'string' },
  url: { type: 'string' },
  queue: { type: 'string' },
  'dead-letter-arn': { type: 'string' },
  'queue-url': { type: 'string' },
  'event-bus': { type: 'string' },
  rate: { type: 'string' },
  burst: { type: 'string' },
  'daily-quota': { type: 'string' },
  clear: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;

export type AdminArgs =
  | { kind: 'help' }
  | { kind: 'mistake'; message: string }
  | ({ kind: 'command' } & Pick<Parsed, 'positionals' | 'values'>);

/**
 * The admin command's arguments. parseArgs throws on an unknown option or a missing value; its message names
 * the option only (never a value, so never a token), and is all the operator needs: no stack.
 */
export const parseAdminArgs = (args: string[]): AdminArgs => {
  try {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (values.help || positionals[0] === 'help') return { kind: 'help' };
    return { kind: 'command', positionals, values };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_') && error instanceof Error) {
      // Its first sentence: the rest is a hint about `--` that fits a positional, not these commands.
      return { kind: 'mistake', message: error.message.split('. ')[0]!.replace(/\.?$/, '.') };
    }
    throw error;
  }
};
