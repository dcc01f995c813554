// `inspect` (describes keyset files, never key bytes) and `rotate` (adds a key, keeps the file's format),
// on every shape the keyset tool writes. Decrypting and re-encrypting with a cloud KEK is in
// test/integration/cli-kms.test.ts (against the emulators).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Kryptonite } from '../../src/engine';
import { Keyset } from '../../src/keyset/keyset';
import { cli, cliOk, tempDir } from './cli-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let cleanup: () => void;
beforeEach(() => { ({ dir, cleanup } = tempDir()); });
afterEach(() => cleanup());

async function gen(file: string, args: string[]): Promise<string> {
  await cliOk(['keyset', ...args, '-o', join(dir, file)]);
  return readFileSync(join(dir, file), 'utf8');
}
const keyValues = (text: string): string[] => [...text.matchAll(/"?value"?\s*:\s*"([^"]+)"/g)].map((m) => m[1] as string);

describe('inspect', () => {
  test('FULL array as text: ids, primary, statuses, prefixes, types, sizes; no key bytes', async () => {
    const text = await gen('ks.json', ['-a', 'AES_GCM', '-i', 'demo', '-k', '2', '-n', '2', '--initial-key-id', '300']);
    const r = await cliOk(['inspect', 'ks.json'], { cwd: dir });
    expect(r.stdout).toBe(`${join(dir, 'ks.json')}: FULL format, JSON, 2 keysets
keyset 'demo_1': plain, primary 300, 2 keys
  * 300  ENABLED  TINK  prefix 010000012c  AesGcmKey 256-bit  type.googleapis.com/google.crypto.tink.AesGcmKey
    301  ENABLED  TINK  prefix 010000012d  AesGcmKey 256-bit  type.googleapis.com/google.crypto.tink.AesGcmKey
keyset 'demo_2': plain, primary 302, 2 keys
  * 302  ENABLED  TINK  prefix 010000012e  AesGcmKey 256-bit  type.googleapis.com/google.crypto.tink.AesGcmKey
    303  ENABLED  TINK  prefix 010000012f  AesGcmKey 256-bit  type.googleapis.com/google.crypto.tink.AesGcmKey
(* = primary)
`);
    const values = keyValues(text);
    expect(values).toHaveLength(4);
    for (const v of values) {
      expect(r.stdout).not.toContain(v);
      expect(r.stdout).not.toContain(Buffer.from(v, 'base64').toString('hex'));
    }
  });

  test('RAW YAML FPE from stdin, --json', async () => {
    const text = await gen('fpe.yaml', ['-a', 'FPE_FF31', '-f', 'RAW', '-s', '192', '--yaml']);
    const r = await cliOk(['inspect', '--json', '-'], { stdin: text });
    const o = JSON.parse(r.stdout) as Json;
    expect(o).toEqual({
      file: 'stdin', format: 'RAW', syntax: 'YAML', array: false,
      keysets: [{ encrypted: false, primaryKeyId: 10000, keys: [{
        keyId: 10000, primary: true, typeUrl: 'io.github.hpgrahsl.kryptonite/crypto.custom.mysto.fpe.FpeKey', keyType: 'FpeKey',
        status: 'ENABLED', outputPrefixType: 'RAW', prefix: '', keySizeBits: 192,
      }] }],
    });
    for (const v of keyValues(text)) expect(r.stdout).not.toContain(v);
  });

  test('an encrypted keyset without a KEK is described from keysetInfo', async () => {
    const ks = Keyset.fromTinkJson(JSON.parse((await cliOk(['keyset', '-a', 'AES_GCM_SIV', '-f', 'RAW', '-n', '2'])).stdout));
    const encrypted = { encryptedKeyset: Buffer.from('not really encrypted, never decrypted here').toString('base64'), keysetInfo: ks.keysetInfo() };
    writeFileSync(join(dir, 'enc.json'), JSON.stringify({ identifier: 'e', material: encrypted }));
    const r = await cliOk(['inspect', 'enc.json'], { cwd: dir });
    expect(r.stdout).toContain("keyset 'e': encrypted (from keysetInfo), primary 10000, 2 keys");
    expect(r.stdout).toContain('  * 10000  ENABLED  TINK  prefix 0100002710  AesSivKey  type.googleapis.com/google.crypto.tink.AesSivKey');
    expect(r.stdout).not.toContain(encrypted.encryptedKeyset);
  });

  test('errors: not JSON/YAML (position only), not a keyset, invalid keyset (path named), missing file, no file (usage)', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"primaryKeyId": 1, "key": [{"keyData": {"value": "SECRETBYTES"}');
    let r = await cli(['inspect', 'bad.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*bad\.json is neither valid JSON nor valid YAML \(line 1, column \d+\)\n$/);
    writeFileSync(join(dir, 'k.json'), '{"primaryKeyId": 5, "key": [{"keyData": {"typeUrl": "type.googleapis.com/google.crypto.tink.AesGcmKey", "value": "GhBTRUNSRVRTRUNSRVRTRUNS", "keyMaterialType": "SYMMETRIC"}, "status": "DESTROYED", "keyId": 5, "outputPrefixType": "TINK"}]}');
    r = await cli(['inspect', 'k.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'k.json')} at $: keyset at key[0]`);
    expect(r.stderr).not.toContain('GhBTRUNSRVRTRUNSRVRTRUNS');
    writeFileSync(join(dir, 'list.json'), '[]');
    expect((await cli(['inspect', 'list.json'], { cwd: dir })).stderr).toBe(`Error: ${join(dir, 'list.json')} holds an empty list, no keyset\n`);
    r = await cli(['inspect', 'missing.json'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, `Error: keyset file cannot be read: ${join(dir, 'missing.json')} (ENOENT)\n`]);
    r = await cli(['inspect']);
    expect([r.code, r.stderr]).toEqual([2, "Missing required parameter: '<file>'\nTry 'kryptonite-kafkajs inspect --help' for more information.\n"]);
    r = await cli(['inspect', 'a', 'b']);
    expect(r.code).toBe(2);
  });
});

describe('rotate', () => {
  test.each([
    ['compact JSON FULL', 'k.json', ['-a', 'AES_GCM', '-i', 'k'], (t: string) => !t.trim().includes('\n')],
    ['pretty JSON RAW', 'k.json', ['-a', 'AES_GCM', '-f', 'RAW', '-p'], (t: string) => t.includes('"primaryKeyId" : ')],
    ['YAML FULL', 'k.yaml', ['-a', 'AES_GCM_SIV', '-i', 'k', '--yaml'], (t: string) => t.startsWith('identifier: "k"\n')],
  ])('%s: adds key highest+1 ENABLED, keeps primary and format, old keys untouched', async (_name, file, args, styleKept) => {
    const before = await gen(file, [...args, '-n', '2']);
    const r = await cliOk(['rotate', file], { cwd: dir });
    expect(r.stderr).toBe(`Added key 10002 to ${args.includes('-i') ? "keyset 'k'" : 'keyset #0'}; primary is 10000\nKeyset written to: ${join(dir, file)}\n`);
    const after = readFileSync(join(dir, file), 'utf8');
    expect(styleKept(after)).toBe(true);
    const parse = (t: string): Json => (file.endsWith('.yaml') ? parseYaml(t) : JSON.parse(t)) as Json;
    const b = parse(before);
    const a = parse(after);
    const mat = (o: Json): Json => (o.material ?? o) as Json;
    expect(mat(a).primaryKeyId).toBe(10000);
    expect(mat(a).key.slice(0, 2)).toEqual(mat(b).key);
    expect(mat(a).key[2]).toMatchObject({ keyId: 10002, status: 'ENABLED', outputPrefixType: 'TINK', keyData: { typeUrl: mat(b).key[0].keyData.typeUrl } });
    expect(Keyset.fromTinkJson(mat(a)).keys[2]?.rawKey().length).toBe(Keyset.fromTinkJson(mat(b)).keys[0]?.rawKey().length);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
  });

  test('--promote: new data uses the new key, data from before still decrypts', async () => {
    await gen('k.json', ['-a', 'AES_GCM', '-i', 'k']);
    const engine = async (): Promise<Kryptonite> => Kryptonite.create({
      cipher_data_keys: [JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8'))], cipher_data_key_identifier: 'k', field_config: [{ name: 'f' }],
    });
    const old = await engine();
    const oldCt = await old.encryptRecord({ f: 'before rotation' });
    await cliOk(['rotate', '--promote', '--key-id', '777', 'k.json'], { cwd: dir });
    const o = JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8')) as Json;
    expect(o.material.primaryKeyId).toBe(777);
    const neu = await engine();
    await expect(neu.decryptRecord(oldCt)).resolves.toEqual({ f: 'before rotation' });
    const newCt = await neu.encryptRecord({ f: 'after' });
    // the Tink prefix inside the k2 envelope names key 777 (0x309)
    const payload = Buffer.from(newCt.f as string, 'base64');
    expect(payload.includes(Buffer.from([0x01, 0, 0, 0x03, 0x09]))).toBe(true);
    await expect(old.decryptRecord(newCt)).rejects.toThrow();
    await old.close();
    await neu.close();
  });

  test('arrays: -i / --index / --all select; without a choice it asks; -o - writes stdout and leaves the file', async () => {
    const before = await gen('ks.yaml', ['-a', 'AES_GCM', '-i', 'd', '-k', '3', '-n', '1', '--yaml']);
    let r = await cli(['rotate', 'ks.yaml'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, 'Error: the file holds 3 keysets; choose one with --identifier or --index, or rotate all with --all\n']);
    r = await cli(['rotate', '-i', 'nope', 'ks.yaml'], { cwd: dir });
    expect(r.stderr).toBe("Error: no keyset 'nope' in the file (identifiers: d_1, d_2, d_3)\n");
    r = await cliOk(['rotate', '-i', 'd_2', '--promote', '-o', '-', 'ks.yaml'], { cwd: dir });
    expect(readFileSync(join(dir, 'ks.yaml'), 'utf8')).toBe(before);
    const two = parseYaml(r.stdout) as Json[];
    expect(two.map((e) => e.material.key.length)).toEqual([1, 2, 1]);
    expect(two[1]?.material.primaryKeyId).toBe(10002);
    await cliOk(['rotate', '--all', 'ks.yaml'], { cwd: dir });
    const all = parseYaml(readFileSync(join(dir, 'ks.yaml'), 'utf8')) as Json[];
    expect(all.map((e) => e.material.key.map((k: Json) => k.keyId))).toEqual([[10000, 10001], [10001, 10002], [10002, 10003]]);
    await cliOk(['rotate', '--index', '0', 'ks.yaml'], { cwd: dir });
    expect((parseYaml(readFileSync(join(dir, 'ks.yaml'), 'utf8')) as Json[])[0]?.material.key).toHaveLength(3);
    r = await cli(['rotate', '--index', '5', 'ks.yaml'], { cwd: dir });
    expect(r.stderr).toBe('Error: --index 5 is out of range: the file holds 3 keyset(s)\n');
    r = await cli(['rotate', '--all', '-i', 'd_1', 'ks.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
  });

  test('FPE --promote warns that older values become unreadable; --key-id clash is an error', async () => {
    await gen('fpe.json', ['-a', 'FPE_FF31', '-i', 'f', '-s', '128']);
    let r = await cli(['rotate', '--key-id', '10000', 'fpe.json'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, `Error: ${join(dir, 'fpe.json')}: keyId: 10000 is already in the keyset\n`]);
    r = await cliOk(['rotate', '--promote', 'fpe.json'], { cwd: dir });
    expect(r.stderr).toContain("WARNING: keyset 'f' is an FPE keyset: only its primary key is used");
    const o = JSON.parse(readFileSync(join(dir, 'fpe.json'), 'utf8')) as Json;
    expect(o.material.key[1]).toMatchObject({ keyId: 10001, outputPrefixType: 'RAW' });
    expect(Buffer.from(o.material.key[1].keyData.value as string, 'base64')).toHaveLength(16);
  });

  test('an encrypted keyset needs the KEK options', async () => {
    const ks = Keyset.fromTinkJson(JSON.parse((await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW'])).stdout));
    writeFileSync(join(dir, 'enc.json'), JSON.stringify({ encryptedKeyset: 'AAAA', keysetInfo: ks.keysetInfo() }));
    let r = await cli(['rotate', 'enc.json'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, 'Error: the keyset is encrypted: --kek-type, --kek-uri and --kek-config are required to rotate it\n']);
    r = await cli(['rotate', '--kek-type', 'AWS', 'enc.json'], { cwd: dir });
    expect(r.stderr).toBe('Error: --kek-uri is required to rotate an encrypted keyset\n');
  });
});

test('top level: --help lists the commands, --version, unknown command is a usage error, help <cmd>', async () => {
  const h = await cliOk(['--help']);
  for (const c of ['keyset', 'encrypt', 'decrypt', 'inspect', 'rotate']) expect(h.stdout).toContain(`  ${c}`);
  expect(h.stdout).toContain('Examples:');
  expect((await cliOk(['-V'])).stdout).toMatch(/^kryptonite-kafkajs \d+\.\d+\.\d+\n$/);
  const r = await cli(['frobnicate']);
  expect([r.code, r.stderr]).toEqual([2, "Unknown command: 'frobnicate'\nTry 'kryptonite-kafkajs --help' for more information.\n"]);
  expect((await cli([])).code).toBe(2);
  for (const c of ['inspect', 'rotate', 'keyset']) {
    const help = (await cliOk(['help', c])).stdout;
    expect(help).toContain(`Usage: kryptonite-kafkajs ${c}`);
    expect(help).toContain('Examples:');
  }
});
