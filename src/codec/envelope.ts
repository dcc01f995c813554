// The encrypted-field envelope: k2 (written and read) and legacy k1 (read only), Base64 text on the wire,
// and the associated data "version ‖ algorithm id ‖ key id" that binds the header to the ciphertext.
import { SerdeError } from '../errors';
import { decodeK1Envelope } from './k1-envelope';
import type { SerdeCode } from './serde';

/** Algorithm ids carried in the header (Kryptonite's CIPHERSPEC_ID_LUT). */
export const ALGORITHM_IDS = {
  'TINK/AES_GCM': '02',
  'TINK/AES_GCM_SIV': '03',
  'CUSTOM/MYSTO_FPE_FF3_1': '04',
  'TINK/AES_GCM_ENVELOPE_KEYSET': '05',
  'TINK/AES_GCM_ENVELOPE_KMS': '06',
} as const;
export type AlgorithmId = (typeof ALGORITHM_IDS)[keyof typeof ALGORITHM_IDS];

export interface ParsedEnvelope {
  readonly version: 'k1' | 'k2';
  readonly serdeCode: SerdeCode | string;
  readonly algorithmId: string;
  readonly keyId: string;
  readonly ciphertext: Buffer;
}

const K2_MAGIC_0 = 0x6b; // 'k'
const K2_MAGIC_1 = 0x32; // '2'

/**
 * The fixed part of a k2 envelope for one (serde, algorithm, key id) and the matching associated data,
 * computed once and reused for every field encrypted with that combination.
 */
export class K2Header {
  readonly prefix: Buffer;
  readonly associatedData: Buffer;

  constructor(readonly serdeCode: SerdeCode, readonly algorithmId: string, readonly keyId: string) {
    const id = Buffer.from(keyId, 'utf8');
    if (id.length > 255) {
      throw new SerdeError('ENVELOPE_KEY_ID_TOO_LONG', `key id is ${id.length} UTF-8 bytes; the k2 envelope allows at most 255`);
    }
    this.prefix = Buffer.concat([Buffer.from(`k2${serdeCode}${algorithmId}`, 'latin1'), Buffer.from([id.length]), id]);
    this.associatedData = associatedData('k2', algorithmId, keyId);
  }

  /** Base64 text of header ‖ ciphertext. */
  wrap(ciphertext: Uint8Array): string {
    const out = Buffer.allocUnsafe(this.prefix.length + ciphertext.length);
    this.prefix.copy(out, 0);
    out.set(ciphertext, this.prefix.length);
    return out.toString('base64');
  }
}

/** AAD = ASCII(version) ‖ ASCII(algorithm id) ‖ UTF-8(key id); the serde code is not part of it. */
export function associatedData(version: string, algorithmId: string, keyId: string): Buffer {
  return Buffer.from(version + algorithmId + keyId, 'utf8');
}

const DECODED_TAIL = [0, 0, 1, 2] as const;

/**
 * Decodes Base64 as strictly as Java's basic decoder: standard alphabet only, no whitespace, padding optional but
 * correct when present. Node's decoder skips characters outside the alphabet, so any such character shows up as a
 * shorter result than the text length implies; it also accepts the URL-safe `-` and `_`, which are checked apart.
 * (Faster than a regular expression over the text, which matters for large fields.)
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  let len = text.length;
  let pad = 0;
  while (pad < 2 && len > 0 && text.charCodeAt(len - 1) === 0x3d) { len--; pad++; }
  if (len % 4 === 1 || (pad > 0 && (len + pad) % 4 !== 0)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== (len >> 2) * 3 + (DECODED_TAIL[len & 3] as number)) return undefined;
  if (text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return undefined;
  return bytes;
}

/** Decodes the Base64 text of an encrypted field and parses its k2 or k1 envelope. */
export function parseEnvelope(text: string): ParsedEnvelope {
  const bytes = decodeStrictBase64(text);
  if (bytes === undefined) throw new SerdeError('ENVELOPE_NOT_BASE64', 'encrypted field is not standard Base64 text');
  if (bytes.length >= 2 && bytes[0] === K2_MAGIC_0 && bytes[1] === K2_MAGIC_1) return parseK2(bytes);
  const k1 = decodeK1Envelope(bytes);
  return { version: 'k1', serdeCode: '00', algorithmId: k1.algorithmId, keyId: k1.keyId, ciphertext: k1.ciphertext };
}

function parseK2(bytes: Buffer): ParsedEnvelope {
  if (bytes.length < 7) {
    throw new SerdeError('ENVELOPE_TRUNCATED', `k2 envelope truncated: ${bytes.length} bytes, header needs at least 7`);
  }
  const idLength = bytes[6] as number;
  if (bytes.length < 7 + idLength) {
    throw new SerdeError('ENVELOPE_TRUNCATED', `k2 envelope truncated: key id needs ${idLength} bytes, ${bytes.length - 7} present`);
  }
  return {
    version: 'k2',
    serdeCode: bytes.toString('latin1', 2, 4),
    algorithmId: bytes.toString('latin1', 4, 6),
    keyId: bytes.toString('utf8', 7, 7 + idLength),
    ciphertext: bytes.subarray(7 + idLength),
  };
}
