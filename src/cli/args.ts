// Command-line parsing with picocli's conventions, so the keyset subcommand accepts what the Java tool
// accepts: `-a X`, `-aX`, `-a=X`, `--algorithm X`, `--algorithm=X`, clustered flags (`-ep`), `--` to end
// options. Usage problems are UsageError (exit 2); failures after parsing are CliFailure (exit 1).

/** A malformed command line: exit code 2, like picocli's usage errors. */
export class UsageError extends Error {}

/** A validation or runtime failure after the command line was understood: exit code 1. */
export class CliFailure extends Error {}

export interface OptionSpec {
  /** e.g. ['-a', '--algorithm'] */
  names: readonly string[];
  /** Key in the parse result. */
  key: string;
  /** The value's label in messages and help, e.g. '<algorithm>'; absent for flags. */
  label?: string;
}

export interface ParsedArgs {
  /** Option values by key: the string for valued options, true for flags. */
  values: Map<string, string | true>;
  positionals: string[];
}

function describe(spec: OptionSpec): string {
  const long = spec.names.find((n) => n.startsWith('--')) ?? spec.names[0] ?? spec.key;
  return spec.label !== undefined ? `option '${long}' (${spec.label})` : `option '${long}'`;
}

export function optionName(spec: OptionSpec): string {
  return spec.names.find((n) => n.startsWith('--')) ?? spec.names[0] ?? spec.key;
}

export function parseArgs(args: readonly string[], specs: readonly OptionSpec[], maxPositionals: number): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) for (const n of s.names) byName.set(n, s);
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  const set = (spec: OptionSpec, value: string | true): void => {
    if (values.has(spec.key)) throw new UsageError(`${describe(spec)} should be specified only once`);
    values.set(spec.key, value);
  };
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      if (positionals.length >= maxPositionals) throw new UsageError(`Unmatched argument at index ${i}: '${arg}'`);
      positionals.push(arg);
      continue;
    }
    if (arg === '--') { onlyPositionals = true; continue; }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(name);
    if (spec !== undefined) {
      if (spec.label === undefined) {
        if (eq > 0) throw new UsageError(`${describe(spec)} takes no value, got '${arg.slice(eq + 1)}'`);
        set(spec, true);
      } else if (eq > 0) {
        set(spec, arg.slice(eq + 1));
      } else {
        const next = args[i + 1];
        if (next === undefined || (next.startsWith('-') && next !== '-' && byName.has(next.split('=')[0] as string))) {
          throw new UsageError(`Missing required parameter for ${describe(spec)}`);
        }
        set(spec, next);
        i++;
      }
      continue;
    }
    if (arg.startsWith('--') || arg.length < 3) throw new UsageError(`Unknown option: '${arg}'`);
    // -aVALUE, or clustered short flags like -ep / -pe, possibly ending in a valued option (-pa AES_GCM)
    let j = 1;
    while (j < arg.length) {
      const short = byName.get(`-${arg[j] as string}`);
      if (short === undefined) throw new UsageError(`Unknown option: '${arg}'`);
      if (short.label === undefined) { set(short, true); j++; continue; }
      const rest = arg.slice(j + 1);
      if (rest !== '') {
        set(short, rest.startsWith('=') ? rest.slice(1) : rest);
      } else {
        const next = args[i + 1];
        if (next === undefined) throw new UsageError(`Missing required parameter for ${describe(short)}`);
        set(short, next);
        i++;
      }
      break;
    }
  }
  return { values, positionals };
}

/** A valued option as a string (undefined when absent). */
export function stringOpt(p: ParsedArgs, key: string): string | undefined {
  const v = p.values.get(key);
  return typeof v === 'string' ? v : undefined;
}

export function flag(p: ParsedArgs, key: string): boolean {
  return p.values.get(key) === true;
}

/** picocli's int conversion: a 32-bit signed decimal, else a usage error. */
export function intOpt(p: ParsedArgs, spec: OptionSpec, dflt: number): number {
  const raw = stringOpt(p, spec.key);
  if (raw === undefined) return dflt;
  const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new UsageError(`Invalid value for ${describe(spec)}: '${raw}' is not an int`);
  }
  return n;
}

/** Like intOpt, but the whole unsigned 32-bit range (Tink key ids). */
export function uint32Opt(p: ParsedArgs, spec: OptionSpec, dflt: number): number {
  const raw = stringOpt(p, spec.key);
  if (raw === undefined) return dflt;
  const n = /^\+?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) {
    throw new UsageError(`Invalid value for ${describe(spec)}: '${raw}' is not a key id (0..4294967295)`);
  }
  return n;
}

/** An enum option, case-sensitive like picocli's default. */
export function enumOpt<T extends string>(p: ParsedArgs, spec: OptionSpec, allowed: readonly T[], dflt: T | undefined): T | undefined {
  const raw = stringOpt(p, spec.key);
  if (raw === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`Invalid value for ${describe(spec)}: expected one of [${allowed.join(', ')}] (case-sensitive) but was '${raw}'`);
  }
  return raw as T;
}

export function requireOpt(p: ParsedArgs, spec: OptionSpec): string {
  const v = stringOpt(p, spec.key);
  if (v === undefined) throw new UsageError(`Missing required option: '${optionName(spec)}=${spec.label ?? '<value>'}'`);
  return v;
}
