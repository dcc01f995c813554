// `encrypt` / `decrypt`: the engine over a stream of records, one JSON document per line in and out,
// configured by a JSON or YAML file with Kryptonite's parameter names. A failure names the line and the
// field path, never a value, and stops with exit code 1 (lines before it have been written).
import { createInterface } from 'node:readline';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { KryptoniteOptions } from '../config/options';
import { Kryptonite } from '../engine';
import { KryptoniteError } from '../errors';
import { CliFailure, flag, parseArgs, requireOpt, stringOpt, type OptionSpec } from './args';
import { absolute, inputStream, readInput, writeOut, type CliDeps, type CliIo } from './io';
import { JsonTextError, parseJsonText, writeJson } from '../codec/json-text';

const O = {
  config: { names: ['-c', '--config'], key: 'config', label: '<configFile>' },
  input: { names: ['-i', '--input'], key: 'input', label: '<inputFile>' },
  help: { names: ['-h', '--help'], key: 'help' },
} satisfies Record<string, OptionSpec>;

export const CRYPT_SPECS: readonly OptionSpec[] = Object.values(O);

export function cryptHelp(direction: 'encrypt' | 'decrypt'): string {
  return `Usage: kryptonite-kafkajs ${direction} -c=<configFile> [-i=<inputFile>]
${direction === 'encrypt' ? 'Encrypts' : 'Decrypts'} the configured fields of JSON records: one JSON document per line from stdin
(or --input), one JSON document per line to stdout. Blank lines are skipped.

  -c, --config=<configFile>   Engine configuration, JSON or YAML, with Kryptonite's parameter names
                              (key_source, cipher_data_keys, cipher_data_key_identifier, field_config,
                              cipher_algorithm, kms_type, kms_config, kek_type, kek_uri, kek_config, ...).
                              JSON-valued parameters may be JSON text or objects/arrays.
  -i, --input=<inputFile>     Read records from this file instead of stdin ('-' = stdin)
  -h, --help                  Show this help message and exit.

Integers beyond 2^53 are read and written exactly (as Java longs); decrypted byte arrays are
written as Base64 strings. On the first failing record the error names its line number and
field path (never a value) on stderr and the exit code is 1; earlier records were written.

Examples:
  kryptonite-kafkajs ${direction} --config k4k.yaml < ${direction === 'encrypt' ? 'plain' : 'encrypted'}.jsonl > ${direction === 'encrypt' ? 'encrypted' : 'plain'}.jsonl
  kryptonite-kafkajs ${direction} -c k4k.json -i records.jsonl
  kryptonite-kafkajs encrypt -c k4k.yaml -i in.jsonl | kryptonite-kafkajs decrypt -c k4k.yaml

  k4k.yaml:
    cipher_data_keys:
      - identifier: my-key
        material: {primaryKeyId: 10000, key: [...]}   # from: kryptonite-kafkajs keyset -a AES_GCM -i my-key
    cipher_data_key_identifier: my-key
    field_config:
      - name: customer.email
      - name: card
        algorithm: TINK/AES_GCM_SIV
`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Reads the config file; errors give the file and a position, never its content (it holds keys). */
export async function readConfigFile(io: CliIo, path: string): Promise<KryptoniteOptions> {
  const text = await readInput(io, path, '--config file');
  let value: unknown;
  try {
    value = parseYaml(text); // YAML 1.2 includes JSON
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new CliFailure(`--config file ${absolute(io, path)} is neither valid JSON nor valid YAML${where}`);
  }
  if (!isPlainObject(value)) throw new CliFailure(`--config file ${absolute(io, path)} must hold a mapping of Kryptonite parameters`);
  return value as KryptoniteOptions;
}

/** The error text for a record: the field path goes in front, the message never carries the value. */
function recordError(line: number, e: unknown): CliFailure {
  if (e instanceof KryptoniteError) {
    const suffix = e.fieldPath !== undefined ? ` (field '${e.fieldPath}')` : '';
    const msg = suffix !== '' && e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message;
    return new CliFailure(`line ${line}${e.fieldPath !== undefined ? `, field '${e.fieldPath}'` : ''}: ${msg}`);
  }
  // anything else is unexpected; its message is not shown because it could quote data
  return new CliFailure(`line ${line}: unexpected ${e instanceof Error ? e.name : 'failure'} while processing the record`);
}

export async function cryptCommand(direction: 'encrypt' | 'decrypt', args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const p = parseArgs(args, CRYPT_SPECS, 0);
  if (flag(p, 'help')) { await writeOut(io.stdout, cryptHelp(direction)); return 0; }
  const configPath = requireOpt(p, O.config);
  const options = await readConfigFile(io, configPath);
  let engine: Kryptonite;
  try {
    engine = await Kryptonite.create(options, deps.providers !== undefined ? { keys: { providers: deps.providers } } : {});
  } catch (e) {
    if (e instanceof KryptoniteError) throw new CliFailure(`--config file ${absolute(io, configPath)}: ${e.message}`);
    throw e;
  }
  const input = inputStream(io, stringOpt(p, 'input'));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = parseJsonText(line);
      } catch (e) {
        if (e instanceof JsonTextError) throw new CliFailure(`line ${n}: not valid JSON (${e.message})`);
        throw e;
      }
      if (!isPlainObject(record)) throw new CliFailure(`line ${n}: a record must be a JSON object`);
      let result: unknown;
      try {
        result = direction === 'encrypt' ? await engine.encryptRecord(record) : await engine.decryptRecord(record);
      } catch (e) {
        throw recordError(n, e);
      }
      await writeOut(io.stdout, `${writeJson(result)}\n`);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const inputPath = stringOpt(p, 'input');
    if (inputPath !== undefined && input !== io.stdin && err.path === absolute(io, inputPath)) {
      throw new CliFailure(`--input file cannot be read: ${err.path} (${err.code ?? 'error'})`);
    }
    throw e;
  } finally {
    lines.close();
    if (input !== io.stdin) input.destroy();
    await engine.close();
  }
  return 0;
}
