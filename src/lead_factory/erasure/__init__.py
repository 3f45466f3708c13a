"""Erasure: an erased person's data removed from every table and from disk, with proof, for good.

See :mod:`lead_factory.erasure.step` (the erase step), :mod:`lead_factory.erasure.registry` (the
proof, the keys never to import again, the tombstones) and :mod:`lead_factory.erasure.compaction`
(rewriting the file). The manual is docs/operations.md.
"""

from lead_factory.erasure.compaction import Compaction, compact
from lead_factory.erasure.step import ErasureError, ErasureReport, erase, mark_purged, purge_pending

__all__ = ["Compaction", "ErasureError", "ErasureReport", "compact", "erase", "mark_purged", "purge_pending"]
