// `inspect`: describes a keyset file — ids, primary, type URLs, statuses, output prefixes — without ever
// printing key bytes. Encrypted keysets are described from their keysetInfo, or decrypted when a KEK is given.
import { KryptoniteError } from '../errors';
import { decryptKeyset } from '../keyset/encrypted-keyset';
import { keyTypeSpec } from '../keyset/key-types';
import type { Keyset } from '../keyset/keyset';
import { outputPrefix } from '../keyset/output-prefix';
import type { OutputPrefixType } from '../keyset/keyset-model';
import type { ClosableKek } from '../keys/provider-registry';
import { CliFailure, UsageError, flag, parseArgs, type OptionSpec } from './args';
import { absolute, readInput, writeOut, type CliDeps, type CliIo } from './io';
import { KEK_OPTIONS, anyKekArg, openKek, requireKekArgs } from './kek';
import { readKeysetDocument, type KeysetEntry } from './keyset-doc';
import { writeJacksonPretty } from '../codec/json-text';

const O = {
  json: { names: ['--json'], key: 'json' },
  help: { names: ['-h', '--help'], key: 'help' },
} satisfies Record<string, OptionSpec>;

export const INSPECT_HELP = `Usage: kryptonite-kafkajs inspect [-h] [--json] [--kek-type=<kekType> --kek-uri=<kekUri>
                                 --kek-config=<kekConfigFile>] <file>
Describes the keysets in <file> ('-' = stdin): FULL or RAW, one or an array, plain or encrypted,
JSON or YAML. Shows key ids, the primary, type URLs, statuses, output prefix types and the
5-byte ciphertext prefixes; never key bytes.

      --json                    Print the description as JSON.
      --kek-type=<kekType>      With --kek-uri and --kek-config: decrypt encrypted keysets to check
      --kek-uri=<kekUri>        that the KEK opens them and show key sizes (otherwise they are
      --kek-config=<kekConfigFile>  described from their keysetInfo).
  -h, --help                    Show this help message and exit.

Examples:
  kryptonite-kafkajs inspect keysets.json
  kryptonite-kafkajs keyset -a AES_GCM -f RAW -n 3 | kryptonite-kafkajs inspect -
  kryptonite-kafkajs inspect --json --kek-type AWS --kek-uri aws-kms://arn:aws:kms:... \\
    --kek-config aws-creds.json encrypted-keyset.yaml
`;

interface KeyView {
  keyId: number;
  primary: boolean;
  typeUrl: string;
  keyType: string;
  status: string;
  outputPrefixType: string;
  /** Hex of the bytes in front of each ciphertext ('' for RAW). */
  prefix: string;
  keySizeBits?: number;
}

interface KeysetView {
  identifier?: string;
  encrypted: boolean;
  /** Encrypted keysets: whether a KEK opened it (else described from keysetInfo). */
  decrypted?: boolean;
  primaryKeyId: number | undefined;
  keys: KeyView[];
  note?: string;
}

function prefixHex(type: string, keyId: number): string {
  return ['TINK', 'LEGACY', 'CRUNCHY', 'RAW'].includes(type) ? outputPrefix(type as OutputPrefixType, keyId).toString('hex') : '';
}

function plainKeys(keyset: Keyset): KeyView[] {
  return keyset.keys.map((k) => {
    const raw = k.rawKey();
    const bits = raw.length * 8;
    raw.fill(0);
    return {
      keyId: k.keyId, primary: k.keyId === keyset.primaryKeyId, typeUrl: k.typeUrl, keyType: keyTypeSpec(k.typeUrl)?.name ?? 'unknown',
      status: k.status, outputPrefixType: k.outputPrefixType, prefix: prefixHex(k.outputPrefixType, k.keyId), keySizeBits: bits,
    };
  });
}

async function view(entry: KeysetEntry, kek: ClosableKek | undefined): Promise<KeysetView> {
  const id = entry.identifier !== undefined ? { identifier: entry.identifier } : {};
  const m = entry.material;
  if (m.kind === 'plain') return { ...id, encrypted: false, primaryKeyId: m.keyset.primaryKeyId, keys: plainKeys(m.keyset) };
  const info = m.keysetInfo;
  if (kek !== undefined) {
    const keyset = await decryptKeyset(m.encrypted, kek, { identifier: entry.identifier });
    const agrees = info === undefined || (info.primaryKeyId === keyset.primaryKeyId
      && info.keyInfo.map((k) => k.keyId).join(',') === keyset.keys.map((k) => k.keyId).join(','));
    return {
      ...id, encrypted: true, decrypted: true, primaryKeyId: keyset.primaryKeyId, keys: plainKeys(keyset),
      ...(agrees ? {} : { note: 'keysetInfo does not match the decrypted keyset (ids or primary differ)' }),
    };
  }
  if (info === undefined) return { ...id, encrypted: true, decrypted: false, primaryKeyId: undefined, keys: [], note: 'no keysetInfo; give a KEK to see the keys' };
  return {
    ...id, encrypted: true, decrypted: false, primaryKeyId: info.primaryKeyId,
    keys: info.keyInfo.map((k) => ({
      keyId: k.keyId, primary: k.keyId === info.primaryKeyId, typeUrl: k.typeUrl, keyType: keyTypeSpec(k.typeUrl)?.name ?? 'unknown',
      status: k.status, outputPrefixType: k.outputPrefixType, prefix: prefixHex(k.outputPrefixType, k.keyId),
    })),
  };
}

function text(file: string, format: string, syntax: string, views: KeysetView[]): string {
  const lines = [`${file}: ${format} format, ${syntax}, ${views.length} keyset${views.length === 1 ? '' : 's'}`];
  for (const v of views) {
    const name = v.identifier !== undefined ? `keyset '${v.identifier}'` : 'keyset';
    const kind = !v.encrypted ? 'plain' : v.decrypted === true ? 'encrypted (decrypted with the KEK)' : 'encrypted (from keysetInfo)';
    lines.push(`${name}: ${kind}, primary ${v.primaryKeyId ?? '?'}, ${v.keys.length} key${v.keys.length === 1 ? '' : 's'}`);
    for (const k of v.keys) {
      const size = k.keySizeBits !== undefined ? ` ${k.keySizeBits}-bit` : '';
      lines.push(`  ${k.primary ? '*' : ' '} ${k.keyId}  ${k.status}  ${k.outputPrefixType}  prefix ${k.prefix === '' ? '(none)' : k.prefix}  ${k.keyType}${size}  ${k.typeUrl}`);
    }
    if (v.note !== undefined) lines.push(`  note: ${v.note}`);
  }
  lines.push('(* = primary)');
  return `${lines.join('\n')}\n`;
}

export async function inspectCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const p = parseArgs(args, [...Object.values(O), ...KEK_OPTIONS], 1);
  if (flag(p, 'help')) { await writeOut(io.stdout, INSPECT_HELP); return 0; }
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError("Missing required parameter: '<file>'");
  const kekArgs = anyKekArg(p) ? requireKekArgs(p, io, 'to decrypt encrypted keysets') : undefined;
  const source = file === '-' ? 'stdin' : absolute(io, file);
  const doc = readKeysetDocument(await readInput(io, file, 'keyset file'), source);
  let kek: ClosableKek | undefined;
  try {
    if (kekArgs !== undefined) kek = await openKek(kekArgs, io, deps);
    const views: KeysetView[] = [];
    for (const e of doc.entries) views.push(await view(e, kek));
    const syntax = doc.style.yaml ? 'YAML' : 'JSON';
    if (flag(p, 'json')) {
      await writeOut(io.stdout, `${writeJacksonPretty({ file: source, format: doc.format, syntax, array: doc.array, keysets: views })}\n`);
    } else {
      await writeOut(io.stdout, text(source, doc.format, syntax, views));
    }
    return 0;
  } catch (e) {
    if (e instanceof CliFailure) throw e;
    if (e instanceof KryptoniteError) throw new CliFailure(`${source}: ${e.message}`);
    throw e;
  } finally {
    await kek?.close?.();
  }
}
