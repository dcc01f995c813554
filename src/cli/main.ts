// The `kryptonite-kafkajs` command: dispatches to the subcommands and maps failures to exit codes
// (0 ok, 1 validation/runtime failure, 2 usage error) with messages on stderr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KryptoniteError } from '../errors';
import { CliFailure, UsageError } from './args';
import { cryptCommand } from './crypt-command';
import { inspectCommand } from './inspect-command';
import { writeOut, type CliDeps, type CliIo } from './io';
import { keysetCommand } from './keyset-command';
import { rotateCommand } from './rotate-command';

export type { CliDeps, CliIo } from './io';

export const BIN = 'kryptonite-kafkajs';

/** From package.json, which sits two levels up both from src/cli (ts-node) and dist/cli (built). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
    return `${pkg.name ?? BIN} ${pkg.version ?? 'unknown'}`;
  } catch {
    return `${BIN} unknown`;
  }
}

const MAIN_HELP = `Usage: ${BIN} [-hV] <command> [<args>]
Client-side field-level encryption for Kafka, compatible with Kryptonite for Kafka 0.7.0.

Commands:
  keyset    Generate keysets (Kryptonite's keyset tool: same flags and output)
  encrypt   Encrypt the configured fields of JSON records (one per line)
  decrypt   Decrypt them
  inspect   Describe a keyset file (ids, primary, types, statuses, prefixes; never key bytes)
  rotate    Add a key to a keyset file, optionally making it the primary
  help      Show help for a command

  -h, --help      Show this help message and exit.
  -V, --version   Print version information and exit.

Run '${BIN} <command> --help' for a command's options and examples.

Examples:
  ${BIN} keyset -a AES_GCM -i my-key -p > my-key.json
  ${BIN} encrypt --config k4k.yaml < records.jsonl > encrypted.jsonl
  ${BIN} decrypt --config k4k.yaml -i encrypted.jsonl
  ${BIN} inspect my-key.json
  ${BIN} rotate --promote my-key.json
`;

const COMMANDS = ['keyset', 'encrypt', 'decrypt', 'inspect', 'rotate'] as const;

async function dispatch(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  const version = packageVersion();
  switch (command) {
    case undefined:
      await writeOut(io.stderr, MAIN_HELP);
      return 2;
    case '-h': case '--help':
      await writeOut(io.stdout, MAIN_HELP);
      return 0;
    case '-V': case '--version':
      await writeOut(io.stdout, `${version}\n`);
      return 0;
    case 'help': {
      const sub = rest[0];
      if (sub === undefined) { await writeOut(io.stdout, MAIN_HELP); return 0; }
      if (!(COMMANDS as readonly string[]).includes(sub)) throw new UsageError(`Unknown command: '${sub}'`);
      return dispatch([sub, '--help'], io, deps);
    }
    case 'keyset': return keysetCommand(rest, io, deps, version);
    case 'encrypt': case 'decrypt': return cryptCommand(command, rest, io, deps);
    case 'inspect': return inspectCommand(rest, io, deps);
    case 'rotate': return rotateCommand(rest, io, deps);
    default:
      throw new UsageError(command.startsWith('-') ? `Unknown option: '${command}'` : `Unknown command: '${command}'`);
  }
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit code.
 * Never throws for user errors: they are printed to io.stderr.
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}, deps: CliDeps = {}): Promise<number> {
  const full: CliIo = { stdin: io.stdin ?? process.stdin, stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr, cwd: io.cwd ?? process.cwd() };
  try {
    return await dispatch(argv, full, deps);
  } catch (e) {
    if (e instanceof UsageError) {
      const sub = (COMMANDS as readonly string[]).includes(argv[0] ?? '') ? ` ${argv[0] as string}` : '';
      await writeOut(full.stderr, `${e.message}\nTry '${BIN}${sub} --help' for more information.\n`);
      return 2;
    }
    if (e instanceof CliFailure || e instanceof KryptoniteError) {
      await writeOut(full.stderr, `Error: ${e.message}\n`);
      return 1;
    }
    // record processing has its own value-free wording (crypt-command); what reaches here is setup and I/O
    await writeOut(full.stderr, `Error: ${e instanceof Error ? `${e.name}: ${e.message}` : 'unexpected failure'}\n`);
    return 1;
  }
}

/** Entry point of the bin launcher. */
export function main(): void {
  // a reader that stops early (`| head`) is not a failure
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
  runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; }, () => { process.exitCode = 1; });
}

if (require.main === module) main();
