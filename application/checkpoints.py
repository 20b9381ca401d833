"""Signed checkpoints of the audit chain: the head of the chain and the Merkle root of the
log at one size, signed with an Ed25519 key (LEDGER_SIGNING_KEY), to be kept outside the
system so that a later rewrite of the log, however consistent, is found out.

The signature covers exactly these bytes (ASCII, each line ending in one LF, no other
whitespace; hashes as 64 lowercase hex digits, integers in decimal without leading zeros):

    investledger audit checkpoint v1
    position <position>
    tree_size <tree_size>
    head_hash <head_hash>
    root_hash <root_hash>
    recorded_at <recorded_at, exactly as in the JSON>
    key_id <key_id>

`signature` is the 64-byte Ed25519 signature in standard base64; `key_id` is the first 16 hex
digits of SHA-256 over the raw 32-byte public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

HEADER = "investledger audit checkpoint v1"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")


def _raw(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        msg = (f"{what} must be 32 bytes in base64 (as `investledger audit keygen` prints "
               "it) / 密钥须为 base64 编码的 32 字节")
        raise ValueError(msg)
    return raw


def private_key(text: str) -> Ed25519PrivateKey:
    """The Ed25519 private key of LEDGER_SIGNING_KEY (its 32-byte seed, base64)."""
    return Ed25519PrivateKey.from_private_bytes(_raw(text, "LEDGER_SIGNING_KEY"))


def public_key(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key given as its 32 raw bytes in base64."""
    return Ed25519PublicKey.from_public_bytes(_raw(text, "the public key"))


def public_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


@dataclass(frozen=True)
class KeyPair:
    private: str  # base64, for LEDGER_SIGNING_KEY
    public: str  # base64 raw public key, for auditors
    key_id: str


def keygen() -> KeyPair:
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return KeyPair(base64.b64encode(seed).decode(), public_text(key.public_key()),
                   key_id(key.public_key()))


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the chain's head and the log's Merkle root at one size."""

    position: int
    head_hash: str
    tree_size: int
    root_hash: str
    recorded_at: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        """The bytes the signature covers (see the module's docstring)."""
        return (f"{HEADER}\nposition {self.position}\ntree_size {self.tree_size}\n"
                f"head_hash {self.head_hash}\nroot_hash {self.root_hash}\n"
                f"recorded_at {self.recorded_at}\nkey_id {self.key_id}\n").encode("ascii")

    def signature_problem(self, key: Ed25519PublicKey) -> str | None:
        """None when `key` signed this checkpoint, else what is wrong."""
        if self.key_id != key_id(key):
            return (f"the checkpoint names key {self.key_id}, the public key given is "
                    f"{key_id(key)}")
        try:
            key.verify(base64.b64decode(self.signature, validate=True), self.message())
        except (InvalidSignature, binascii.Error, ValueError):
            return f"the signature does not verify with key {self.key_id}"
        return None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Checkpoint:
        """A checkpoint read from JSON, its fields checked for form (not its signature)."""
        names = [f.name for f in fields(cls)]
        if not isinstance(data, dict) or set(names) - set(data):
            msg = f"a checkpoint is a JSON object with {', '.join(names)} / 检查点格式不正确"
            raise ValueError(msg)
        values = {name: data[name] for name in names}
        for name in ("position", "tree_size"):
            if type(values[name]) is not int or values[name] < 0:
                msg = f"checkpoint {name} must be a non-negative integer / 须为非负整数"
                raise ValueError(msg)
        for name in ("head_hash", "root_hash"):
            if not isinstance(values[name], str) or not _HEX64.match(values[name]):
                msg = f"checkpoint {name} must be 64 lowercase hex digits / 须为64位十六进制"
                raise ValueError(msg)
        if not isinstance(values["key_id"], str) or not _KEY_ID.match(values["key_id"]):
            msg = "checkpoint key_id must be 16 lowercase hex digits / 密钥标识须为16位十六进制"
            raise ValueError(msg)
        for name in ("recorded_at", "signature"):
            if not isinstance(values[name], str) or not values[name].isascii() or \
                    "\n" in values[name]:
                msg = f"checkpoint {name} must be one line of ASCII text / 须为一行 ASCII 文本"
                raise ValueError(msg)
        return cls(**values)


class Signer:
    """Signs checkpoints with one private key."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key
        self.key_id = key_id(key.public_key())
        self.public = public_text(key.public_key())

    def sign(self, position: int, tree_size: int, head_hash: bytes, root_hash: bytes,
             recorded_at: str) -> Checkpoint:
        unsigned = Checkpoint(position, head_hash.hex(), tree_size, root_hash.hex(),
                              recorded_at, self.key_id, "")
        signature = base64.b64encode(self.key.sign(unsigned.message())).decode()
        return Checkpoint(**{**unsigned.as_dict(), "signature": signature})
