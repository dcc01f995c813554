"""Tink's own encrypted-keyset reading and writing with tink.integration.awskms, pointed at moto.

One JSON request on stdin, one JSON answer on stdout. Requests:
  {"op": "read", "keyset": <encrypted keyset JSON text>, "ciphertext": b64, "ad": b64, "plaintext": b64}
      parse the encrypted keyset with the KMS AEAD (empty associated data), decrypt `ciphertext`, and
      encrypt `plaintext` with the keyset -> {"ok", "decrypted", "encrypted"}
  {"op": "write", "plaintext": b64, "ad": b64}
      generate an AES256_GCM keyset, serialize it encrypted with the KMS AEAD, encrypt `plaintext`
      -> {"ok", "keyset", "encrypted"}
Common fields: "keyUri" (aws-kms://...), "endpoint", "region", "accessKey", "secretKey", "sessionToken".
"""
import base64
import json
import sys

import boto3
import tink
from tink import aead
from tink import json_proto_keyset_format
from tink.integration import awskms


def kms_aead(req):
    client = boto3.client(
        "kms",
        region_name=req["region"],
        endpoint_url=req["endpoint"],
        aws_access_key_id=req["accessKey"],
        aws_secret_access_key=req["secretKey"],
        aws_session_token=req.get("sessionToken"),
    )
    return awskms.new_client(boto3_client=client, key_uri=req["keyUri"]).get_aead(req["keyUri"])


def main():
    req = json.loads(sys.stdin.read())
    aead.register()
    kek = kms_aead(req)
    b64 = lambda s: base64.b64decode(s)
    if req["op"] == "read":
        handle = json_proto_keyset_format.parse_encrypted(req["keyset"], kek, b"")
        primitive = handle.primitive(aead.Aead)
        out = {
            "ok": True,
            "decrypted": base64.b64encode(primitive.decrypt(b64(req["ciphertext"]), b64(req["ad"]))).decode(),
            "encrypted": base64.b64encode(primitive.encrypt(b64(req["plaintext"]), b64(req["ad"]))).decode(),
        }
    elif req["op"] == "write":
        handle = tink.new_keyset_handle(aead.aead_key_templates.AES256_GCM)
        primitive = handle.primitive(aead.Aead)
        out = {
            "ok": True,
            "keyset": json_proto_keyset_format.serialize_encrypted(handle, kek, b""),
            "encrypted": base64.b64encode(primitive.encrypt(b64(req["plaintext"]), b64(req["ad"]))).decode(),
        }
    else:
        raise ValueError("unknown op")
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # reported to the test as data, exit code stays 0 so the message is read
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
