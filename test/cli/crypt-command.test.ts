// `encrypt` / `decrypt` over JSON-lines record files with JSON and YAML configs: round trips (exact longs
// included), errors naming line and field but never the value, exit codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { parseJsonText } from '../../src/codec/json-text';
import { cli, cliOk, tempDir } from './cli-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let cleanup: () => void;
let keys: Json[];

const FIELDS = [
  { name: 'email' },
  { name: 'customer.card', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'fpe', fpeAlphabetType: 'DIGITS' },
  { name: 'id', algorithm: 'TINK/AES_GCM_SIV', keyId: 'siv' },
  { name: 'big' },
  { name: 'tags' },
  { name: 'blob' },
];
const RECORDS = [
  { email: 'alice@example.com', customer: { card: '4111111111111111', name: 'Alice' }, id: 'user-1', big: 9007199254740993n, tags: ['a', 'b'], blob: { n: -9223372036854775808n } },
  { email: 'bob@example.com', customer: { card: '5500000000000004', name: 'Bob' }, id: 'user-2', big: 12, tags: [], blob: null },
  { email: 'c\u00e9cile \u{1F600}', customer: { card: '340000000000009', name: 'C' }, id: 'user-1', big: 1.5, tags: [true, null, 3], blob: { deep: { x: 'y' } }, untouched: 'plain' },
];
const SECRETS = ['alice@example.com', 'bob@example.com', '4111111111111111', 'user-1', '9007199254740993', 'cécile'];
const jsonLines = (records: unknown[]): string => records.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `__BIG__${v}` : v))
  .replace(/"__BIG__(-?\d+)"/g, '$1')).join('\n');

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  keys = [];
  for (const [id, alg] of [['gcm', 'AES_GCM'], ['siv', 'AES_GCM_SIV'], ['fpe', 'FPE_FF31']] as const) {
    keys.push(JSON.parse((await cliOk(['keyset', '-a', alg, '-i', id, '-n', '2'])).stdout) as Json);
  }
  // YAML with objects and arrays; JSON with the JSON-valued parameters as JSON text (as in a Connect config)
  writeFileSync(join(dir, 'k4k.yaml'), stringifyYaml({ cipher_data_keys: keys, cipher_data_key_identifier: 'gcm', field_config: FIELDS }));
  writeFileSync(join(dir, 'k4k.json'), JSON.stringify({ key_source: 'CONFIG', cipher_data_keys: JSON.stringify(keys), cipher_data_key_identifier: 'gcm', field_config: JSON.stringify(FIELDS), field_mode: 'OBJECT' }));
  writeFileSync(join(dir, 'records.jsonl'), `${jsonLines(RECORDS.slice(0, 2))}\n\n${jsonLines(RECORDS.slice(2))}\n`);
});
afterAll(() => cleanup());

describe('encrypt then decrypt', () => {
  test.each(['k4k.yaml', 'k4k.json'])('%s: a file of records round-trips exactly; ciphertext hides every value', async (config) => {
    const enc = await cliOk(['encrypt', '--config', config, '--input', 'records.jsonl'], { cwd: dir });
    expect(enc.stderr).toBe('');
    const lines = enc.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3); // the blank line is skipped
    for (const s of SECRETS) expect(enc.stdout).not.toContain(s);
    const first = parseJsonText(lines[0] as string) as Json;
    expect(typeof first.email).toBe('string');
    expect(first.customer.name).toBe('Alice');
    expect(first.customer.card).toMatch(/^\d{16}$/); // FPE keeps length and alphabet
    expect((parseJsonText(lines[2] as string) as Json).untouched).toBe('plain');

    const dec = await cliOk(['decrypt', '-c', config], { cwd: dir, stdin: enc.stdout });
    expect(dec.stdout.trim().split('\n').map((l) => parseJsonText(l))).toEqual(RECORDS);
    // longs beyond 2^53 are written as exact JSON integers
    expect(dec.stdout).toContain('"big":9007199254740993');
    expect(dec.stdout).toContain('"n":-9223372036854775808');
  });

  test('AES-SIV fields are deterministic across runs and records; AES-GCM ones are not', async () => {
    const a = (await cliOk(['encrypt', '-c', 'k4k.yaml', '-i', 'records.jsonl'], { cwd: dir })).stdout.trim().split('\n').map((l) => parseJsonText(l) as Json);
    const b = (await cliOk(['encrypt', '-c', 'k4k.yaml'], { cwd: dir, stdin: jsonLines(RECORDS) })).stdout.trim().split('\n').map((l) => parseJsonText(l) as Json);
    expect(a[0]?.id).toBe(b[0]?.id);
    expect(a[0]?.id).toBe(a[2]?.id); // both 'user-1'
    expect(a[0]?.email).not.toBe(b[0]?.email);
  });

  test('a config and records from stdin with CRLF line ends', async () => {
    const enc = await cliOk(['encrypt', '-c', join(dir, 'k4k.yaml')], { stdin: `${jsonLines([RECORDS[1]])}\r\n` });
    const dec = await cliOk(['decrypt', '-c', join(dir, 'k4k.yaml')], { stdin: enc.stdout });
    expect(parseJsonText(dec.stdout.trim())).toEqual(RECORDS[1]);
  });
});

describe('record errors: line number and field path, never the value; exit 1', () => {
  test('a tampered ciphertext on line 3 stops there; lines 1-2 were written', async () => {
    const enc = (await cliOk(['encrypt', '-c', 'k4k.yaml', '-i', 'records.jsonl'], { cwd: dir })).stdout.trim().split('\n');
    const rec = parseJsonText(enc[2] as string) as Json;
    const ct = rec.email as string;
    const i = Math.floor(ct.length / 2);
    rec.email = `${ct.slice(0, i)}${ct[i] === 'A' ? 'B' : 'A'}${ct.slice(i + 1)}`;
    const tampered = [enc[0], enc[1], JSON.stringify(rec)].join('\n');
    const r = await cli(['decrypt', '-c', 'k4k.yaml'], { cwd: dir, stdin: tampered });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: line 3, field 'email': /);
    expect(r.stderr.split('\n')).toHaveLength(2);
    for (const s of [...SECRETS, rec.email as string, ct]) expect(r.stderr).not.toContain(s);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  test('a field encrypted under a keyset the config does not have', async () => {
    const other = JSON.parse((await cliOk(['keyset', '-a', 'AES_GCM', '-i', 'gcm'])).stdout) as Json;
    const cfg = join(dir, 'other.json');
    writeFileSync(cfg, JSON.stringify({ cipher_data_keys: [other], cipher_data_key_identifier: 'gcm', field_config: [{ name: 'email' }] }));
    const enc = (await cliOk(['encrypt', '-c', cfg], { stdin: '{"email":"alice@example.com"}' })).stdout;
    const r = await cli(['decrypt', '-c', 'k4k.yaml'], { cwd: dir, stdin: `\n${enc}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: line 2, field 'email': /);
    expect(r.stderr).not.toContain('alice');
  });

  test('invalid JSON: position only, not the text', async () => {
    const r = await cli(['encrypt', '-c', 'k4k.yaml'], { cwd: dir, stdin: '{"email":"a@b.c"}\n{"email": secret-value}' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: line 2: not valid JSON (unexpected character at column 11)\n');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('a record that is not a JSON object', async () => {
    for (const line of ['[1,2]', '"text"', '42', 'null']) {
      const r = await cli(['encrypt', '-c', 'k4k.yaml'], { cwd: dir, stdin: line });
      expect([r.code, r.stderr]).toEqual([1, 'Error: line 1: a record must be a JSON object\n']);
    }
  });

  test('a value the serde cannot take (a long outside the Java range stays a double, FPE needs a string)', async () => {
    const r = await cli(['encrypt', '-c', 'k4k.yaml'], { cwd: dir, stdin: '{"customer":{"card":12345678}}' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: line 1, field 'customer.card': /);
    expect(r.stderr).not.toContain('12345678');
  });
});

describe('config and usage errors', () => {
  test('--config is required (usage, exit 2)', async () => {
    const r = await cli(['encrypt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Missing required option: '--config=<configFile>'\nTry 'kryptonite-kafkajs encrypt --help' for more information.\n");
  });
  test('missing config or input file (exit 1, absolute path)', async () => {
    let r = await cli(['decrypt', '-c', 'nope.yaml'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, `Error: --config file cannot be read: ${join(dir, 'nope.yaml')} (ENOENT)\n`]);
    r = await cli(['decrypt', '-c', 'k4k.yaml', '-i', 'nope.jsonl'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, `Error: --input file cannot be read: ${join(dir, 'nope.jsonl')} (ENOENT)\n`]);
  });
  test('config that is not YAML/JSON, or not a mapping: position only, never the content', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'cipher_data_keys: [{"identifier": "x", "material": "SECRET-KEY-MATERIAL"\n');
    let r = await cli(['encrypt', '-c', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: --config file ${join(dir, 'bad.yaml')} is neither valid JSON nor valid YAML \\(line \\d+, column \\d+\\)\\n$`));
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
    r = await cli(['encrypt', '-c', 'list.yaml'], { cwd: dir });
    expect(r.stderr).toBe(`Error: --config file ${join(dir, 'list.yaml')} must hold a mapping of Kryptonite parameters\n`);
  });
  test('invalid Kryptonite parameters: every problem with its option path', async () => {
    writeFileSync(join(dir, 'invalid.yaml'), stringifyYaml({ cipher_data_keys: keys, cipher_algorithm: 'ROT13', field_config: [{ name: 'a', colour: 'red' }], bogus: 1 }));
    const r = await cli(['encrypt', '-c', 'invalid.yaml'], { cwd: dir, stdin: '{}' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: --config file ${join(dir, 'invalid.yaml')}: invalid Kryptonite configuration`));
    for (const path of ['cipher_algorithm', 'field_config[0].colour', 'bogus']) expect(r.stderr).toContain(path);
    for (const k of keys) expect(r.stderr).not.toContain((k.material.key[0].keyData.value as string));
  });
  test('--help on encrypt and decrypt, with examples', async () => {
    for (const c of ['encrypt', 'decrypt']) {
      const r = await cliOk([c, '--help']);
      expect(r.stdout).toContain(`Usage: kryptonite-kafkajs ${c} -c=<configFile>`);
      expect(r.stdout).toContain('Examples:');
      expect((await cliOk(['help', c])).stdout).toBe(r.stdout);
    }
  });
});
