// AES-CMAC against the RFC 4493 / SP 800-38B examples, and stream reuse across many MACs.

import { createCipheriv, randomBytes } from 'node:crypto';
import { AesCmac, dbl } from '../../src/cipher/aes-cmac';

// RFC 4493 section 4 (AES-128) and NIST SP 800-38B appendix D.3 (AES-256), same 64-byte message.
const message = Buffer.from('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710', 'hex');
const rfc4493 = { key: '2b7e151628aed2a6abf7158809cf4f3c', macs: { 0: 'bb1d6929e95937287fa37d129b756746', 16: '070a16b46b4d4144f79bdd9dd04a287c', 40: 'dfa66747de9ae63030ca32611497c827', 64: '51f0bebf7e3b9d92fc49741779363cfe' } };
const sp800_38b_256 = { key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', macs: { 0: '028962f61b7bf89efc6b551f4667d983', 16: '28a7023f452e8f82bd4bf28d8c37c35c', 40: 'aaf3d8f1de5640c232f5b169b9c911e6', 64: 'e1992190549f6ed5696a2c056c315410' } };

// Straightforward reference: fresh CBC cipher from a zero IV per MAC, RFC 4493 steps written out.
function referenceCmac(key: Buffer, m: Buffer): string {
  const enc = (b: Buffer): Buffer => createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false).update(b);
  const k1 = dbl(enc(Buffer.alloc(16)));
  const k2 = dbl(k1);
  const complete = m.length > 0 && m.length % 16 === 0;
  const padded = Buffer.alloc(complete ? m.length : (Math.floor(m.length / 16) + 1) * 16);
  m.copy(padded);
  if (!complete) padded[m.length] = 0x80;
  const sub = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) padded[padded.length - 16 + i] = padded[padded.length - 16 + i]! ^ sub[i]!;
  const cbc = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16)).setAutoPadding(false).update(padded);
  return cbc.subarray(cbc.length - 16).toString('hex');
}

describe('AesCmac', () => {
  it.each([['RFC 4493 AES-128', rfc4493], ['SP 800-38B AES-256', sp800_38b_256]] as const)('%s examples', (_name, v) => {
    const cmac = new AesCmac(Buffer.from(v.key, 'hex'));
    for (const [len, mac] of Object.entries(v.macs)) expect(cmac.mac(message.subarray(0, Number(len))).toString('hex')).toBe(mac);
  });

  it('gives the same MAC as a fresh reference computation across 300 reused calls of varying length', () => {
    for (const keySize of [16, 24, 32]) {
      const key = randomBytes(keySize);
      const cmac = new AesCmac(key);
      for (let i = 0; i < 100; i++) {
        const m = randomBytes(i);
        expect(cmac.mac(m).toString('hex')).toBe(referenceCmac(key, m));
      }
    }
  });

  it('dbl reduces with 0x87 when the top bit is set', () => {
    expect(dbl(Buffer.from('80000000000000000000000000000001', 'hex')).toString('hex')).toBe('00000000000000000000000000000085');
    expect(dbl(Buffer.from('40000000000000000000000000000000', 'hex')).toString('hex')).toBe('80000000000000000000000000000000');
  });

  it('refuses a key that is not an AES key size', () => {
    expect(() => new AesCmac(Buffer.alloc(20))).toThrow(/16, 24 or 32/);
  });
});
