"""Errors a document can raise while it is read. Each carries a reason a contributor can act on,
from the message catalogue (`yibao.messages`), and the message's code."""

from yibao.messages import CodedError


class UnreadableDocument(CodedError):
    """The file cannot be turned into text: empty, broken, encrypted, scanned, binary, too big.

    The message says what is wrong and what to do about it; the caller adds the file name.
    """


class MetadataError(CodedError):
    """A metadata file (`*.meta.toml`) is malformed; the message names the file and line."""
