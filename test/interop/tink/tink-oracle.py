"""Tink (PyPI tink==1.16.1) as a JSON-lines oracle for the keyset and cipher interop tests.

stdin: one JSON object per line {"op": ..., ...}; stdout: one JSON object per line {"ok": true, ...} or
{"ok": false, "error": "..."}. Byte strings are standard Base64; keysets are Tink JSON text.
Ops: gen {template}; parse {keyset}; aeadEnc/aeadDec/daeadEnc/daeadDec {keyset, data, ad};
encryptKeyset {keyset, kek}; encryptKeysetBinary {keyset, kek};
decryptKeysetBinary {data, kek}; decryptKeyset {encrypted, kek, legacyReader?}; version.
"""

import base64
import json
import sys

import tink
from tink import aead, daead, secret_key_access

aead.register()
daead.register()

TEMPLATES = {
    "AES128_GCM": aead.aead_key_templates.AES128_GCM,
    "AES256_GCM": aead.aead_key_templates.AES256_GCM,
    "AES128_GCM_RAW": aead.aead_key_templates.AES128_GCM_RAW,
    "AES256_GCM_RAW": aead.aead_key_templates.AES256_GCM_RAW,
    "AES256_SIV": daead.deterministic_aead_key_templates.AES256_SIV,
}
TOKEN = secret_key_access.TOKEN
fmt = tink.json_proto_keyset_format


def b64d(s):
    return base64.b64decode(s.encode("ascii"), validate=True)


def b64e(b):
    return base64.b64encode(b).decode("ascii")


def handle(req):
    op = req["op"]
    if op == "version":
        from importlib.metadata import version
        return {"version": version("tink")}
    if op == "gen":
        return {"keyset": fmt.serialize(tink.new_keyset_handle(TEMPLATES[req["template"]]), TOKEN)}
    if op == "parse":
        h = fmt.parse(req["keyset"], TOKEN)
        return {"keyset": fmt.serialize(h, TOKEN)}
    if op in ("aeadEnc", "aeadDec"):
        p = fmt.parse(req["keyset"], TOKEN).primitive(aead.Aead)
        data, ad = b64d(req["data"]), b64d(req.get("ad", ""))
        return {"out": b64e(p.encrypt(data, ad) if op == "aeadEnc" else p.decrypt(data, ad))}
    if op in ("daeadEnc", "daeadDec"):
        p = fmt.parse(req["keyset"], TOKEN).primitive(daead.DeterministicAead)
        data, ad = b64d(req["data"]), b64d(req.get("ad", ""))
        out = p.encrypt_deterministically(data, ad) if op == "daeadEnc" else p.decrypt_deterministically(data, ad)
        return {"out": b64e(out)}
    if op == "encryptKeyset":
        kek = fmt.parse(req["kek"], TOKEN).primitive(aead.Aead)
        h = fmt.parse(req["keyset"], TOKEN)
        return {"encrypted": fmt.serialize_encrypted(h, kek, b"")}
    if op == "encryptKeysetBinary":
        kek = fmt.parse(req["kek"], TOKEN).primitive(aead.Aead)
        h = fmt.parse(req["keyset"], TOKEN)
        return {"out": b64e(tink.proto_keyset_format.serialize_encrypted(h, kek, b""))}
    if op == "decryptKeysetBinary":
        kek = fmt.parse(req["kek"], TOKEN).primitive(aead.Aead)
        h = tink.proto_keyset_format.parse_encrypted(b64d(req["data"]), kek, b"")
        return {"keyset": fmt.serialize(h, TOKEN)}
    if op == "decryptKeyset":
        kek = fmt.parse(req["kek"], TOKEN).primitive(aead.Aead)
        if req.get("legacyReader"):
            # The older reader API: KEK-decrypts with empty associated data, like Java's KeysetHandle.read(reader, masterKey).
            h = tink.read_keyset_handle(tink.JsonKeysetReader(req["encrypted"]), kek)
        else:
            h = fmt.parse_encrypted(req["encrypted"], kek, b"")
        return {"keyset": fmt.serialize(h, TOKEN)}
    raise ValueError("unknown op " + op)


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            res = {"ok": True, **handle(json.loads(line))}
        except Exception as e:  # noqa: BLE001 - every failure is reported back to the test
            res = {"ok": False, "error": type(e).__name__ + ": " + str(e)}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
