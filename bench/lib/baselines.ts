// Third-party baselines: @noble/ciphers (ESM only, so loaded with a real dynamic import from this CommonJS
// code) and the npm ff3 package (CommonJS, untyped).

export interface NobleCipher {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
}
export type NobleAessiv = (key: Uint8Array, ...associatedData: Uint8Array[]) => NobleCipher;

// TypeScript's CommonJS output turns `import()` into `require()`; a Function body keeps the native import().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

export async function nobleAessiv(): Promise<NobleAessiv> {
  const mod = await importEsm('@noble/ciphers/aes.js');
  return mod.aessiv as NobleAessiv;
}

interface Ff3Package {
  new (keyHex: string, tweakHex: string, radix?: number): { encrypt(plaintext: string): string; decrypt(ciphertext: string): string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const FF3Cipher = require('ff3') as Ff3Package;
