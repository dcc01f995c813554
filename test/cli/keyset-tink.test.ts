// Keysets from `keyset` load in real Tink (Python tink 1.16.1, the oracle of test/interop/tink): Tink reads
// them back to the same keys, encrypts with the primary we named, and its ciphertexts decrypt here (and ours there).
import { parse as parseYaml } from 'yaml';
import { Keyset } from '../../src/keyset/keyset';
import { keysetAead, keysetDeterministicAead } from '../../src/keyset/keyset-aead';
import { TinkOracle } from '../interop/tink/tink-oracle-client';
import { cliOk } from './cli-harness';

let tink: TinkOracle;
beforeAll(async () => { tink = await TinkOracle.start(); });
afterAll(async () => { await tink?.stop(); });

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const ad = Buffer.from('k2 associated data');
const data = Buffer.from('the plaintext of a field');

async function tinkParse(keysetJson: string): Promise<unknown> {
  return JSON.parse(await tink.get({ op: 'parse', keyset: keysetJson }, 'keyset')) as unknown;
}

describe.each([
  ['AES_GCM', ['-s', '256'], 'aead'],
  ['AES_GCM', ['-s', '128'], 'aead'],
  ['AES_GCM_SIV', [], 'daead'],
] as const)('%s %j', (algorithm, extra, kind) => {
  test('RAW output with 3 keys from --initial-key-id 70000: Tink reads the same keyset, its ciphertexts carry primary 70000', async () => {
    const out = (await cliOk(['keyset', '-a', algorithm, '-f', 'RAW', '-n', '3', '--initial-key-id', '70000', ...extra])).stdout;
    expect(await tinkParse(out)).toEqual(JSON.parse(out));
    const ours = Keyset.fromTinkJson(out);
    const tinkCt = Buffer.from(await tink.get({ op: `${kind}Enc`, keyset: out, data: b64(data), ad: b64(ad) }, 'out'), 'base64');
    expect(tinkCt.subarray(0, 5).toString('hex')).toBe(`01${(70000).toString(16).padStart(8, '0')}`);
    const decrypted = kind === 'aead' ? keysetAead(ours).decrypt(tinkCt, ad) : keysetDeterministicAead(ours).decryptDeterministically(tinkCt, ad);
    expect(decrypted).toEqual(data);
    const ourCt = kind === 'aead' ? keysetAead(ours).encrypt(data, ad) : keysetDeterministicAead(ours).encryptDeterministically(data, ad);
    const back = await tink.get({ op: `${kind}Dec`, keyset: out, data: b64(ourCt), ad: b64(ad) }, 'out');
    expect(Buffer.from(back, 'base64')).toEqual(data);
  });

  test('FULL YAML output: the material Tink reads is the keyset we wrote', async () => {
    const out = (await cliOk(['keyset', '-a', algorithm, '-i', 'y', '--yaml', '-n', '2', ...extra])).stdout;
    const material = (parseYaml(out) as { material: unknown }).material;
    expect(await tinkParse(JSON.stringify(material))).toEqual(material);
  });
});

test('FPE_FF31 keysets (custom type url, RAW prefix) are readable by Tink as they are by Kryptonite', async () => {
  for (const size of ['128', '192', '256']) {
    const out = (await cliOk(['keyset', '-a', 'FPE_FF31', '-f', 'RAW', '-s', size, '-n', '2'])).stdout;
    expect(await tinkParse(out)).toEqual(JSON.parse(out));
  }
});

test('-k 3: every keyset of a RAW array is a keyset Tink accepts', async () => {
  const out = JSON.parse((await cliOk(['keyset', '-a', 'AES_GCM', '-f', 'RAW', '-k', '3', '-n', '2'])).stdout) as unknown[];
  for (const ks of out) expect(await tinkParse(JSON.stringify(ks))).toEqual(ks);
});
