// `keyset`: Kryptonite's keyset tool (kryptonite-keyset-tool 0.2.0) — same flags, defaults, output shapes,
// key-id assignment, messages and exit codes; keys come from src/keyset/generate.ts.
import { encryptKeyset } from '../keyset/encrypted-keyset';
import { generateKeyset, type KeysetAlgorithm } from '../keyset/generate';
import type { ClosableKek } from '../keys/provider-registry';
import { CliFailure, UsageError, enumOpt, flag, intOpt, parseArgs, requireOpt, stringOpt, uint32Opt, type OptionSpec } from './args';
import { type CliDeps, type CliIo, writeOut, writeSecretFile } from './io';
import { KEK_OPTIONS, openKek, requireKekArgs } from './kek';
import { entryValue, formatDocument, type KeysetEntry } from './keyset-doc';

const ALGORITHMS = ['AES_GCM', 'AES_GCM_SIV', 'FPE_FF31'] as const;
const FORMATS = ['FULL', 'RAW'] as const;

const O = {
  algorithm: { names: ['-a', '--algorithm'], key: 'algorithm', label: '<algorithm>' },
  identifier: { names: ['-i', '--identifier'], key: 'identifier', label: '<identifier>' },
  format: { names: ['-f', '--output-format'], key: 'format', label: '<outputFormat>' },
  output: { names: ['-o', '--output'], key: 'output', label: '<outputFile>' },
  keySize: { names: ['-s', '--key-size'], key: 'keySize', label: '<keySize>' },
  numKeys: { names: ['-n', '--num-keys'], key: 'numKeys', label: '<numKeys>' },
  numKeysets: { names: ['-k', '--num-keysets'], key: 'numKeysets', label: '<numKeysets>' },
  initialKeyId: { names: ['--initial-key-id'], key: 'initialKeyId', label: '<initialKeyId>' },
  pretty: { names: ['-p', '--pretty'], key: 'pretty' },
  yaml: { names: ['--yaml'], key: 'yaml' },
  encrypt: { names: ['-e', '--encrypt'], key: 'encrypt' },
  help: { names: ['-h', '--help'], key: 'help' },
  version: { names: ['-V', '--version'], key: 'version' },
} satisfies Record<string, OptionSpec>;

export const KEYSET_SPECS: readonly OptionSpec[] = [...Object.values(O), ...KEK_OPTIONS];

export const KEYSET_HELP = `Usage: kryptonite-kafkajs keyset [-ehpV] [--yaml] -a=<algorithm> [-f=<outputFormat>]
                                [-i=<identifier>] [--initial-key-id=<initialKeyId>]
                                [-k=<numKeysets>] [--kek-config=<kekConfigFile>]
                                [--kek-type=<kekType>] [--kek-uri=<kekUri>]
                                [-n=<numKeys>] [-o=<outputFile>] [-s=<keySize>]
Generates Tink keyset configurations (JSON or YAML) for Kryptonite for Kafka and this library.
Flags, defaults and output shapes are those of Kryptonite's kryptonite-keyset-tool 0.2.0.

  -a, --algorithm=<algorithm>   Cipher algorithm: AES_GCM, AES_GCM_SIV, FPE_FF31
  -i, --identifier=<identifier> Keyset identifier (required when output format is FULL)
  -f, --output-format=<outputFormat>
                                Output format: FULL, RAW (default: FULL). FULL = {identifier,
                                material} for cipher_data_keys; RAW = bare keyset (secret value)
  -s, --key-size=<keySize>      Key size in bits (default: 256). AES_GCM: 128 or 256.
                                AES_GCM_SIV: fixed (flag ignored). FPE_FF31: 128, 192, or 256.
  -n, --num-keys=<numKeys>      Number of keys per keyset (default: 1, range: 1-1000); the first is primary
  -k, --num-keysets=<numKeysets>
                                Number of keysets (default: 1, range: 1-1000). When > 1, output is
                                an array and identifiers are suffixed with _1, _2, etc.
      --initial-key-id=<initialKeyId>
                                Starting key ID (default: 10000), incremented by 1 for each
                                additional key; keyset k (from 0) starts at initial + k * num-keys
  -o, --output=<outputFile>     Output file path (default: stdout); written owner-only (0600)
  -p, --pretty                  Pretty-print JSON output (default: single-line, ignored for YAML)
      --yaml                    Output YAML instead of JSON
  -e, --encrypt                 Encrypt the generated keyset(s) with a KMS key encryption key (KEK).
                                Requires --kek-type, --kek-uri, and --kek-config.
      --kek-type=<kekType>      KEK type: AWS, GCP, AZURE. Required when --encrypt is set.
      --kek-uri=<kekUri>        KEK URI: aws-kms://arn:aws:kms:..., gcp-kms://projects/.../cryptoKeys/...,
                                azure-kv://<vault-host>/keys/<name>[/<version>]. Required with --encrypt.
      --kek-config=<kekConfigFile>
                                Path to the KMS credentials JSON file (AWS: {accessKey, secretKey};
                                GCP: service-account JSON; Azure: {clientId, tenantId, clientSecret,
                                keyVaultUrl}). Required when --encrypt is set.
  -h, --help                    Show this help message and exit.
  -V, --version                 Print version information and exit.

Exit codes: 0 success, 1 validation or runtime error, 2 usage error.

Examples:
  # one AES-GCM keyset for cipher_data_keys (key_source CONFIG)
  kryptonite-kafkajs keyset -a AES_GCM -i my-key -p
  # a deterministic keyset with 3 keys, ids 20000..20002, as YAML
  kryptonite-kafkajs keyset -a AES_GCM_SIV -i det-key -n 3 --initial-key-id 20000 --yaml
  # two FPE keysets (ids fpe_1, fpe_2) written to a file
  kryptonite-kafkajs keyset -a FPE_FF31 -s 192 -i fpe -k 2 -o keysets.json
  # an encrypted keyset for key_source CONFIG_ENCRYPTED (FULL) ...
  kryptonite-kafkajs keyset -a AES_GCM -i enc-key -e --kek-type AWS \\
    --kek-uri aws-kms://arn:aws:kms:eu-west-1:123456789012:key/<key-id> --kek-config aws-creds.json
  # ... or as the secret value for key_source KMS_ENCRYPTED (RAW)
  kryptonite-kafkajs keyset -a AES_GCM -f RAW -e --kek-type GCP \\
    --kek-uri gcp-kms://projects/p/locations/global/keyRings/r/cryptoKeys/k --kek-config sa.json
`;

/** -s: picocli converts through the KeySize enum, so anything but 128/192/256 is a usage error. */
function keySizeOpt(raw: string | undefined): number {
  if (raw === undefined) return 256;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (Number.isNaN(n)) throw new UsageError(`Invalid value for option '--key-size' (<keySize>): '${raw}' is not an int`);
  if (![128, 192, 256].includes(n)) {
    throw new UsageError(`Invalid value for option '--key-size' (<keySize>): Invalid key size: ${n}. Valid values: 128, 192, 256`);
  }
  return n;
}

export async function keysetCommand(args: readonly string[], io: CliIo, deps: CliDeps, version: string): Promise<number> {
  const p = parseArgs(args, KEYSET_SPECS, 0);
  if (flag(p, 'help')) { await writeOut(io.stdout, KEYSET_HELP); return 0; }
  if (flag(p, 'version')) { await writeOut(io.stdout, `${version}\n`); return 0; }

  const maybeAlgorithm = enumOpt(p, O.algorithm, ALGORITHMS, undefined);
  const format = enumOpt(p, O.format, FORMATS, 'FULL') as 'FULL' | 'RAW';
  const keySize = keySizeOpt(stringOpt(p, 'keySize'));
  const numKeys = intOpt(p, O.numKeys, 1);
  const numKeysets = intOpt(p, O.numKeysets, 1);
  const initialKeyId = uint32Opt(p, O.initialKeyId, 10000);
  const identifier = stringOpt(p, 'identifier');
  const encrypt = flag(p, 'encrypt');
  const yaml = flag(p, 'yaml');
  if (maybeAlgorithm === undefined) requireOpt(p, O.algorithm);
  const algorithm = maybeAlgorithm as KeysetAlgorithm;

  // The Java tool's checks, in its order and with its messages.
  if (format === 'FULL' && (identifier === undefined || identifier.trim() === '')) {
    throw new CliFailure('--identifier is required when output format is FULL');
  }
  if (numKeys < 1 || numKeys > 1000) throw new CliFailure(`--num-keys must be between 1 and 1000, got: ${numKeys}`);
  if (numKeysets < 1 || numKeysets > 1000) throw new CliFailure(`--num-keysets must be between 1 and 1000, got: ${numKeysets}`);
  const kekArgs = encrypt ? requireKekArgs(p, io, 'when --encrypt is set') : undefined;
  if (algorithm === 'AES_GCM_SIV' && keySize !== 256) {
    await writeOut(io.stderr, 'NOTE: --key-size is ignored for AES_GCM_SIV (fixed key size).\n');
  }
  // Checked before any KMS call (Java fails here only while generating, after contacting the KMS).
  if (algorithm === 'AES_GCM' && keySize === 192) throw new CliFailure('AES_GCM key size must be 128 or 256, got: 192');
  const lastId = initialKeyId + numKeys * numKeysets - 1;
  if (lastId > 0xffffffff) {
    throw new CliFailure(`--initial-key-id ${initialKeyId} with ${numKeysets} x ${numKeys} keys needs ids up to ${lastId}, beyond the 32-bit key id range`);
  }

  let kek: ClosableKek | undefined;
  try {
    if (kekArgs !== undefined) kek = await openKek(kekArgs, io, deps);
    const entries: KeysetEntry[] = [];
    for (let k = 0; k < numKeysets; k++) {
      const keyset = generateKeyset({
        algorithm, keySizeBits: keySize, numKeys, initialKeyId: initialKeyId + k * numKeys,
        ...(deps.random !== undefined ? { random: deps.random } : {}),
      });
      const id = format === 'FULL' ? (numKeysets === 1 ? identifier : `${identifier as string}_${k + 1}`) : undefined;
      const material = kek === undefined
        ? { kind: 'plain' as const, keyset }
        : { kind: 'encrypted' as const, encrypted: await encryptKeyset(keyset.withIdentifier(id), kek), keysetInfo: undefined };
      entries.push({ ...(id !== undefined ? { identifier: id } : {}), material });
    }
    const values = entries.map(entryValue);
    const text = formatDocument(numKeysets === 1 ? values[0] : values, { yaml, pretty: flag(p, 'pretty') });
    const output = stringOpt(p, 'output');
    if (output === undefined) {
      await writeOut(io.stdout, text);
    } else {
      const abs = writeSecretFile(io, output, text);
      await writeOut(io.stderr, `Keyset written to: ${abs}\n`);
    }
    return 0;
  } finally {
    await kek?.close?.();
  }
}
