// `keyset` against the behaviour of Kryptonite's kryptonite-keyset-tool 0.2.0 (KeysetGeneratorCommand and
// its test class): flags, defaults, output shapes, key-id assignment, each validation message and exit code.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Kryptonite } from '../../src/engine';
import { Keyset } from '../../src/keyset/keyset';
import { AES_GCM_TYPE_URL, AES_SIV_TYPE_URL, FPE_TYPE_URL } from '../../src/keyset/key-types';
import { cli, cliOk, seededRandom, tempDir } from './cli-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const parse = (s: string): Json => JSON.parse(s) as Json;

describe('keyset: output shapes and defaults', () => {
  test('defaults: FULL needs -i; RAW is one compact line, one AES256-GCM key 10000, primary, TINK, ENABLED', async () => {
    const r = await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW']);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trim()).not.toContain('\n');
    expect(r.stderr).toBe('');
    const o = parse(r.stdout);
    expect(Object.keys(o)).toEqual(['primaryKeyId', 'key']);
    expect(o.primaryKeyId).toBe(10000);
    expect(o.key).toHaveLength(1);
    expect(o.key[0]).toEqual({
      keyData: { typeUrl: AES_GCM_TYPE_URL, value: expect.any(String), keyMaterialType: 'SYMMETRIC' },
      status: 'ENABLED', keyId: 10000, outputPrefixType: 'TINK',
    });
    expect(Keyset.fromTinkJson(o).primaryKey().rawKey()).toHaveLength(32);
  });

  test('FULL wraps {identifier, material}; a single keyset is not an array', async () => {
    const o = parse((await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'solo'])).stdout);
    expect(Object.keys(o)).toEqual(['identifier', 'material']);
    expect(o.identifier).toBe('solo');
    expect(o.material.primaryKeyId).toBe(10000);
    expect(o.material.key[0].keyData.typeUrl).toBe(AES_GCM_TYPE_URL);
  });

  test('AES_GCM -s 128 gives a 16-byte key; the option forms --key-size=128 and -s128 are the same', async () => {
    for (const args of [['-s', '128'], ['--key-size=128'], ['-s128'], ['--key-size', '128']]) {
      const o = parse((await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW', ...args])).stdout);
      expect(Keyset.fromTinkJson(o).primaryKey().rawKey()).toHaveLength(16);
    }
  });

  test('AES_GCM_SIV: always a 64-byte AES-SIV key; a non-default -s prints the NOTE on stderr', async () => {
    const quiet = await cliOk(['keyset', '-a', 'AES_GCM_SIV', '-f', 'RAW']);
    expect(quiet.stderr).toBe('');
    const noted = await cliOk(['keyset', '-a', 'AES_GCM_SIV', '-f', 'RAW', '-s', '128']);
    expect(noted.stderr).toBe('NOTE: --key-size is ignored for AES_GCM_SIV (fixed key size).\n');
    const ks = Keyset.fromTinkJson(parse(noted.stdout));
    expect(ks.primaryKey().typeUrl).toBe(AES_SIV_TYPE_URL);
    expect(ks.primaryKey().rawKey()).toHaveLength(64);
    expect(ks.primaryKey().outputPrefixType).toBe('TINK');
  });

  test.each([[128, 16], [192, 24], [256, 32]])('FPE_FF31 -s %i: %i raw key bytes, RAW prefix, FPE type url', async (bits, bytes) => {
    const o = parse((await cliOk(['keyset', '-a', 'FPE_FF31', '-f', 'RAW', '-s', String(bits)])).stdout);
    expect(o.key[0].keyData.typeUrl).toBe(FPE_TYPE_URL);
    expect(o.key[0].keyData.keyMaterialType).toBe('SYMMETRIC');
    expect(o.key[0].outputPrefixType).toBe('RAW');
    expect(Buffer.from(o.key[0].keyData.value as string, 'base64')).toHaveLength(bytes);
  });

  test('-p: Jackson pretty printer layout, same content as compact', async () => {
    const random = seededRandom(7);
    const compact = (await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'k', '-n', '2'], { deps: { random: seededRandom(7) } })).stdout;
    const pretty = (await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'k', '-n', '2', '-p'], { deps: { random } })).stdout;
    expect(parse(pretty)).toEqual(parse(compact));
    const v0 = parse(compact).material.key[0].keyData.value as string;
    expect(pretty).toBe(`{
  "identifier" : "k",
  "material" : {
    "primaryKeyId" : 10000,
    "key" : [ {
      "keyData" : {
        "typeUrl" : "${AES_GCM_TYPE_URL}",
        "value" : "${v0}",
        "keyMaterialType" : "SYMMETRIC"
      },
      "status" : "ENABLED",
      "keyId" : 10000,
      "outputPrefixType" : "TINK"
    }, {
      "keyData" : {
        "typeUrl" : "${AES_GCM_TYPE_URL}",
        "value" : "${parse(compact).material.key[1].keyData.value as string}",
        "keyMaterialType" : "SYMMETRIC"
      },
      "status" : "ENABLED",
      "keyId" : 10001,
      "outputPrefixType" : "TINK"
    } ]
  }
}
`);
  });

  test('--yaml: no document marker, multi-line, double-quoted strings; parses back to the same keyset as JSON (also with -p)', async () => {
    for (const extra of [[], ['-k', '3', '-n', '2']]) {
      for (const format of ['FULL', 'RAW']) {
        const args = ['keyset', '-a', 'AES_GCM_SIV', '-i', 'ys', '-f', format, ...extra];
        const json = (await cliOk(args, { deps: { random: seededRandom(42) } })).stdout;
        const yaml = (await cliOk([...args, '--yaml', '-p'], { deps: { random: seededRandom(42) } })).stdout;
        expect(yaml.startsWith('---')).toBe(false);
        expect(yaml).toContain('\n');
        expect(yaml).toContain(`typeUrl: "${AES_SIV_TYPE_URL}"`);
        expect(parseYaml(yaml)).toEqual(parse(json));
      }
    }
    const single = (await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'y', '--yaml'])).stdout;
    expect(single.split('\n')[0]).toBe('identifier: "y"');
    expect(single).toMatch(/^ {2}key:\n {2}- keyData:\n {6}typeUrl: /m);
  });
});

describe('keyset: key id assignment', () => {
  test('-n 5 --initial-key-id 20000: ids 20000..20004, first is primary, all unique keys', async () => {
    const o = parse((await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW', '-n', '5', '--initial-key-id', '20000'])).stdout);
    expect(o.primaryKeyId).toBe(20000);
    expect(o.key.map((k: Json) => k.keyId)).toEqual([20000, 20001, 20002, 20003, 20004]);
    expect(new Set(o.key.map((k: Json) => k.keyData.value)).size).toBe(5);
  });

  test('-k 3 -n 2: FULL array, identifiers suffixed _1.._3, keyset k starts at initial + k*n', async () => {
    const o = parse((await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'demo-key', '-k', '3', '-n', '2', '--initial-key-id', '10000'])).stdout) as unknown as Json[];
    expect(Array.isArray(o)).toBe(true);
    expect(o.map((e) => e.identifier)).toEqual(['demo-key_1', 'demo-key_2', 'demo-key_3']);
    expect(o.map((e) => e.material.primaryKeyId)).toEqual([10000, 10002, 10004]);
    expect(o.map((e) => e.material.key.map((k: Json) => k.keyId))).toEqual([[10000, 10001], [10002, 10003], [10004, 10005]]);
  });

  test('-k 2 -n 3 RAW: an array of bare keysets without identifiers (-i is not needed)', async () => {
    const o = parse((await cliOk(['keyset', '-a', 'FPE_FF31', '-f', 'RAW', '-k', '2', '-n', '3', '--initial-key-id', '5000', '-s', '128'])).stdout) as unknown as Json[];
    expect(o).toHaveLength(2);
    for (const [k, ks] of o.entries()) {
      expect(ks.identifier).toBeUndefined();
      expect(ks.primaryKeyId).toBe(5000 + 3 * k);
      expect(ks.key.map((x: Json) => x.keyId)).toEqual([0, 1, 2].map((i) => 5000 + 3 * k + i));
    }
  });

  test('-k 3 -n 4 from 1000: 12 ids, none shared between keysets; -n 1000 is accepted', async () => {
    const o = parse((await cliOk(['keyset', '-a', 'AES_GCM_SIV', '-i', 'siv-set', '-k', '3', '-n', '4', '--initial-key-id', '1000'])).stdout) as unknown as Json[];
    const ids = o.flatMap((e) => e.material.key.map((k: Json) => k.keyId as number));
    expect(new Set(ids).size).toBe(12);
    expect(Math.min(...ids)).toBe(1000);
    expect(Math.max(...ids)).toBe(1011);
    const big = parse((await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW', '-n', '1000'])).stdout);
    expect(big.key).toHaveLength(1000);
  });

  test('ids use the whole uint32 range (beyond Java int), but never overflow it', async () => {
    const o = parse((await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW', '-n', '2', '--initial-key-id', '4294967294'])).stdout);
    expect(o.key.map((k: Json) => k.keyId)).toEqual([4294967294, 4294967295]);
    const r = await cli(['keyset', '-a', 'AES_GCM', '-f', 'RAW', '-n', '3', '--initial-key-id', '4294967294']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: --initial-key-id 4294967294 with 1 x 3 keys needs ids up to 4294967296/);
  });
});

describe('keyset: -o writes a file', () => {
  test('JSON and YAML files; "Keyset written to: <abs path>" on stderr; stdout empty; owner-only mode', async () => {
    const t = tempDir();
    try {
      const r = await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'file-key', '-o', 'ks.json'], { cwd: t.dir });
      const abs = join(t.dir, 'ks.json');
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`Keyset written to: ${abs}\n`);
      expect(parse(readFileSync(abs, 'utf8')).identifier).toBe('file-key');
      expect(statSync(abs).mode & 0o777).toBe(0o600);
      await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'file-key', '--yaml', '-o', join(t.dir, 'ks.yaml')]);
      const yaml = readFileSync(join(t.dir, 'ks.yaml'), 'utf8');
      expect(yaml.startsWith('---')).toBe(false);
      expect((parseYaml(yaml) as Json).identifier).toBe('file-key');
      // an existing file is replaced
      await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'other', '-o', abs]);
      expect(parse(readFileSync(abs, 'utf8')).identifier).toBe('other');
    } finally {
      t.cleanup();
    }
  });
});

describe('keyset: generated keysets work in the engine', () => {
  test.each([
    ['AES_GCM', 'TINK/AES_GCM', 'secret@example.com', {}],
    ['AES_GCM_SIV', 'TINK/AES_GCM_SIV', 'secret@example.com', {}],
    ['FPE_FF31', 'CUSTOM/MYSTO_FPE_FF3_1', '4111111111111111', { fpeAlphabetType: 'DIGITS' }],
  ])('%s FULL output as cipher_data_keys: encrypt then decrypt', async (alg, cipher, plain, extra) => {
    const entry = parse((await cliOk(['keyset', '-a', alg, '-i', 'gen', '-n', '3'])).stdout);
    const k = await Kryptonite.create({ cipher_data_keys: [entry], cipher_data_key_identifier: 'gen', field_config: [{ name: 'f', algorithm: cipher, ...extra }] });
    const enc = await k.encryptRecord({ f: plain, g: 1 });
    expect(enc.f).not.toBe(plain);
    expect(enc.g).toBe(1);
    await expect(k.decryptRecord(enc)).resolves.toEqual({ f: plain, g: 1 });
    await k.close();
  });
});

describe('keyset: validation errors (exit 1) with the Java tool messages', () => {
  const fails = async (args: string[], message: string, opts: Parameters<typeof cli>[1] = {}): Promise<void> => {
    const r = await cli(['keyset', ...args], opts);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`Error: ${message}\n`);
  };

  test('FULL without --identifier, or with a blank one', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'FULL'], '--identifier is required when output format is FULL');
    await fails(['-a', 'AES_GCM'], '--identifier is required when output format is FULL');
    await fails(['-a', 'AES_GCM', '-i', '  '], '--identifier is required when output format is FULL');
  });
  test('--num-keys out of 1..1000', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-n', '0'], '--num-keys must be between 1 and 1000, got: 0');
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-n', '1001'], '--num-keys must be between 1 and 1000, got: 1001');
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-n', '-3'], '--num-keys must be between 1 and 1000, got: -3');
  });
  test('--num-keysets out of 1..1000', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-k', '0'], '--num-keysets must be between 1 and 1000, got: 0');
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-k', '1001'], '--num-keysets must be between 1 and 1000, got: 1001');
  });
  test('--encrypt without --kek-type', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e'], '--kek-type is required when --encrypt is set');
  });
  test('--encrypt without --kek-uri', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e', '--kek-type', 'GCP'], '--kek-uri is required when --encrypt is set');
  });
  test('--encrypt without --kek-config', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e', '--kek-type', 'GCP', '--kek-uri', 'gcp-kms://some/uri'], '--kek-config is required when --encrypt is set');
  });
  test('--encrypt with a --kek-config file that does not exist (absolute path in the message)', async () => {
    const t = tempDir();
    try {
      await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e', '--kek-type', 'GCP', '--kek-uri', 'gcp-kms://some/uri', '--kek-config', 'nonexistent/credentials.json'],
        `--kek-config file does not exist: ${join(t.dir, 'nonexistent/credentials.json')}`, { cwd: t.dir });
      await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e', '--kek-type', 'GCP', '--kek-uri', 'gcp-kms://some/uri', '--kek-config', t.dir],
        `--kek-config file does not exist: ${t.dir}`);
    } finally {
      t.cleanup();
    }
  });
  test('unknown --kek-type: no provider (checked before the file is read)', async () => {
    const t = tempDir();
    try {
      const creds = join(t.dir, 'creds.json');
      require('node:fs').writeFileSync(creds, '{"accessKey":"a","secretKey":"b"}'); // eslint-disable-line @typescript-eslint/no-require-imports
      await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e', '--kek-type', 'HSM', '--kek-uri', 'x://y', '--kek-config', creds],
        "no KMS key encryption provider found for type 'HSM' (known: AWS, GCP, AZURE)");
      require('node:fs').writeFileSync(creds, '{"accessKey": "SECRET-VALUE'); // eslint-disable-line @typescript-eslint/no-require-imports
      await fails(['-a', 'AES_GCM', '-f', 'RAW', '-e', '--kek-type', 'AWS', '--kek-uri', 'aws-kms://arn:aws:kms:eu-west-1:1:key/k', '--kek-config', creds],
        `--kek-config file is not valid JSON: ${creds}`);
    } finally {
      t.cleanup();
    }
  });
  test('AES_GCM with -s 192 (a runtime error in Java, before any KMS call here)', async () => {
    await fails(['-a', 'AES_GCM', '-f', 'RAW', '-s', '192'], 'AES_GCM key size must be 128 or 256, got: 192');
  });
});

describe('keyset: usage errors (exit 2, picocli wording)', () => {
  const usage = async (args: string[], message: string): Promise<void> => {
    const r = await cli(['keyset', ...args]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`${message}\nTry 'kryptonite-kafkajs keyset --help' for more information.\n`);
  };
  test('missing -a', () => usage(['-f', 'RAW'], "Missing required option: '--algorithm=<algorithm>'"));
  test('bad -a (case-sensitive)', () => usage(['-a', 'aes_gcm'],
    "Invalid value for option '--algorithm' (<algorithm>): expected one of [AES_GCM, AES_GCM_SIV, FPE_FF31] (case-sensitive) but was 'aes_gcm'"));
  test('bad -f', () => usage(['-a', 'AES_GCM', '-f', 'XML'],
    "Invalid value for option '--output-format' (<outputFormat>): expected one of [FULL, RAW] (case-sensitive) but was 'XML'"));
  test('-s outside 128/192/256', () => usage(['-a', 'AES_GCM', '-s', '512'],
    "Invalid value for option '--key-size' (<keySize>): Invalid key size: 512. Valid values: 128, 192, 256"));
  test('non-integer -s / -n / -k / --initial-key-id', async () => {
    await usage(['-a', 'AES_GCM', '-s', 'big'], "Invalid value for option '--key-size' (<keySize>): 'big' is not an int");
    await usage(['-a', 'AES_GCM', '-n', 'two'], "Invalid value for option '--num-keys' (<numKeys>): 'two' is not an int");
    await usage(['-a', 'AES_GCM', '-k', '1.5'], "Invalid value for option '--num-keysets' (<numKeysets>): '1.5' is not an int");
    await usage(['-a', 'AES_GCM', '--initial-key-id', '-1'],
      "Invalid value for option '--initial-key-id' (<initialKeyId>): '-1' is not a key id (0..4294967295)");
  });
  test('unknown option, positional argument, repeated option, missing value', async () => {
    await usage(['-a', 'AES_GCM', '--bogus'], "Unknown option: '--bogus'");
    await usage(['-a', 'AES_GCM', 'extra'], "Unmatched argument at index 2: 'extra'");
    await usage(['-a', 'AES_GCM', '-a', 'AES_GCM'], "option '--algorithm' (<algorithm>) should be specified only once");
    await usage(['-a'], "Missing required parameter for option '--algorithm' (<algorithm>)");
    await usage(['-a', 'AES_GCM', '--pretty=yes'], "option '--pretty' takes no value, got 'yes'");
  });
});

describe('keyset: help and version', () => {
  test('-h / --help: usage, every flag, examples; exit 0', async () => {
    for (const h of ['-h', '--help']) {
      const r = await cliOk(['keyset', h]);
      for (const flag of ['--algorithm', '--identifier', '--output-format', '--key-size', '--num-keys', '--num-keysets',
        '--initial-key-id', '--output', '--pretty', '--yaml', '--encrypt', '--kek-type', '--kek-uri', '--kek-config']) {
        expect(r.stdout).toContain(flag);
      }
      expect(r.stdout).toContain('Examples:');
    }
  });
  test('-V prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect((await cliOk(['keyset', '-V'])).stdout).toBe(`kryptonite-kafkajs ${pkg.version}\n`);
  });
});
