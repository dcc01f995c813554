// `rotate`: adds a key (same type and size as the primary) to a keyset file, optionally promoting it, and
// writes the file back in its own format (FULL/RAW, single/array, JSON compact/pretty or YAML, plain or encrypted).
import { KryptoniteError } from '../errors';
import { decryptKeyset, encryptKeyset } from '../keyset/encrypted-keyset';
import { addKey } from '../keyset/generate';
import { FPE_TYPE_URL } from '../keyset/key-types';
import type { ClosableKek } from '../keys/provider-registry';
import { CliFailure, UsageError, flag, intOpt, parseArgs, stringOpt, uint32Opt, type OptionSpec } from './args';
import { absolute, readInput, writeOut, writeSecretFile, type CliDeps, type CliIo } from './io';
import { KEK_OPTIONS, anyKekArg, openKek, requireKekArgs } from './kek';
import { documentValue, formatDocument, readKeysetDocument, type KeysetEntry } from './keyset-doc';

const O = {
  promote: { names: ['--promote'], key: 'promote' },
  keyId: { names: ['--key-id'], key: 'keyId', label: '<keyId>' },
  identifier: { names: ['-i', '--identifier'], key: 'identifier', label: '<identifier>' },
  index: { names: ['--index'], key: 'index', label: '<index>' },
  all: { names: ['--all'], key: 'all' },
  output: { names: ['-o', '--output'], key: 'output', label: '<outputFile>' },
  help: { names: ['-h', '--help'], key: 'help' },
} satisfies Record<string, OptionSpec>;

export const ROTATE_HELP = `Usage: kryptonite-kafkajs rotate [-h] [--promote] [--all] [--key-id=<keyId>]
                                [-i=<identifier> | --index=<index>] [-o=<outputFile>]
                                [--kek-type=<kekType> --kek-uri=<kekUri> --kek-config=<kekConfigFile>]
                                <file>
Adds a new key to a keyset in <file>, of the same type and size as its primary key, and writes the
file back in its own format (FULL or RAW, single or array, JSON or YAML, plain or encrypted).
Older keys stay ENABLED so existing ciphertexts still decrypt.

      --promote                 Make the new key the primary (new data is encrypted with it).
                                Without it, the key is added for a later switch of primaryKeyId.
                                FPE keysets: only the primary is ever used, so promoting makes
                                data encrypted before unreadable -- re-encrypt it.
      --key-id=<keyId>          Id of the new key (default: the highest id in the keyset + 1).
  -i, --identifier=<identifier> In a FULL array: the keyset to rotate.
      --index=<index>           In an array: the position (from 0) of the keyset to rotate.
      --all                     In an array: rotate every keyset.
  -o, --output=<outputFile>     Write here instead of replacing <file> ('-' = stdout).
      --kek-type=<kekType>      Encrypted keysets: the KEK that encrypts them (AWS, GCP, AZURE),
      --kek-uri=<kekUri>        its URI and the path of its credentials JSON file; the rotated
      --kek-config=<kekConfigFile>  keyset is encrypted again with it.
  -h, --help                    Show this help message and exit.

Files are replaced atomically and written owner-only (0600).

Examples:
  kryptonite-kafkajs rotate my-key.json                      # add key highest+1
  kryptonite-kafkajs rotate --promote my-key.json            # add it and make it primary
  kryptonite-kafkajs rotate -i demo_2 --promote keysets.yaml # one keyset of an array
  kryptonite-kafkajs rotate --promote --kek-type AWS --kek-uri aws-kms://arn:aws:kms:... \\
    --kek-config aws-creds.json encrypted-secret.json
`;

function selectEntries(entries: KeysetEntry[], array: boolean, identifier: string | undefined, index: number | undefined, all: boolean): number[] {
  const chosen = [identifier !== undefined, index !== undefined, all].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('--identifier, --index and --all are mutually exclusive');
  if (all) return entries.map((_, i) => i);
  if (index !== undefined) {
    if (index < 0 || index >= entries.length) throw new CliFailure(`--index ${index} is out of range: the file holds ${entries.length} keyset(s)`);
    return [index];
  }
  if (identifier !== undefined) {
    const i = entries.findIndex((e) => e.identifier === identifier);
    if (i < 0) {
      const known = entries.map((e) => e.identifier).filter((x) => x !== undefined);
      throw new CliFailure(`no keyset '${identifier}' in the file (${known.length > 0 ? `identifiers: ${known.join(', ')}` : 'RAW keysets have no identifiers; use --index'})`);
    }
    return [i];
  }
  if (array && entries.length > 1) {
    throw new CliFailure(`the file holds ${entries.length} keysets; choose one with --identifier or --index, or rotate all with --all`);
  }
  return [0];
}

export async function rotateCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const p = parseArgs(args, [...Object.values(O), ...KEK_OPTIONS], 1);
  if (flag(p, 'help')) { await writeOut(io.stdout, ROTATE_HELP); return 0; }
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError("Missing required parameter: '<file>'");
  const keyId = p.values.has('keyId') ? uint32Opt(p, O.keyId, 0) : undefined;
  const index = p.values.has('index') ? intOpt(p, O.index, 0) : undefined;
  const output = stringOpt(p, 'output') ?? file;
  if (file === '-' && stringOpt(p, 'output') === undefined) throw new UsageError("reading from stdin needs --output ('-' for stdout)");
  const source = file === '-' ? 'stdin' : absolute(io, file);
  const doc = readKeysetDocument(await readInput(io, file, 'keyset file'), source);
  const targets = selectEntries(doc.entries, doc.array, stringOpt(p, 'identifier'), index, flag(p, 'all'));
  if (keyId !== undefined && targets.length > 1) throw new UsageError('--key-id cannot be used with --all');
  const needsKek = targets.some((i) => doc.entries[i]?.material.kind === 'encrypted');
  if (needsKek && !anyKekArg(p)) throw new CliFailure('the keyset is encrypted: --kek-type, --kek-uri and --kek-config are required to rotate it');
  const kekArgs = needsKek ? requireKekArgs(p, io, 'to rotate an encrypted keyset') : undefined;

  let kek: ClosableKek | undefined;
  const report: string[] = [];
  try {
    if (kekArgs !== undefined) kek = await openKek(kekArgs, io, deps);
    for (const i of targets) {
      const entry = doc.entries[i] as KeysetEntry;
      const m = entry.material;
      const ctx = { identifier: entry.identifier };
      const keyset = m.kind === 'plain' ? m.keyset : await decryptKeyset(m.encrypted, kek as ClosableKek, ctx);
      const rotated = addKey(keyset, {
        promote: flag(p, 'promote'), ...(keyId !== undefined ? { keyId } : {}), ...(deps.random !== undefined ? { random: deps.random } : {}),
      });
      const added = rotated.keys[rotated.keys.length - 1]?.keyId as number;
      entry.material = m.kind === 'plain'
        ? { kind: 'plain', keyset: rotated }
        : { kind: 'encrypted', encrypted: await encryptKeyset(rotated, kek as ClosableKek), keysetInfo: undefined };
      const name = entry.identifier !== undefined ? `keyset '${entry.identifier}'` : `keyset #${i}`;
      report.push(`Added key ${added} to ${name}; primary is ${rotated.primaryKeyId}`);
      if (flag(p, 'promote') && keyset.primaryKey().typeUrl === FPE_TYPE_URL) {
        report.push(`WARNING: ${name} is an FPE keyset: only its primary key is used, so values encrypted before cannot be decrypted any more -- re-encrypt them`);
      }
    }
  } catch (e) {
    if (e instanceof KryptoniteError) throw new CliFailure(`${source}: ${e.message}`);
    throw e;
  } finally {
    await kek?.close?.();
  }
  const text = formatDocument(documentValue(doc), doc.style);
  if (output === '-') {
    await writeOut(io.stdout, text);
  } else {
    const abs = writeSecretFile(io, output, text);
    report.push(`Keyset written to: ${abs}`);
  }
  await writeOut(io.stderr, `${report.join('\n')}\n`);
  return 0;
}
