"""Identity resolution use cases [review-queue]: the scan (tier 1 then tier 2), the review queue,
per-contact duplicate hints, dismissals.

Rejected pairs (a user's reject or dismissal, and every unmerge, [rejected-pairs]) are honoured by both tiers:
a tier-1 merge never joins two groups that hold a rejected pair, and tier 2 never re-queues any pair it has
seen. A scan that will merge takes an automatic backup first [automatic-backups].
"""

from pcrm.services.identity.hints import dismiss_duplicate, duplicates
from pcrm.services.identity.queue import QUEUE_LIMIT, list_matches, merge_match, reject_match, review_queue
from pcrm.services.identity.scan import scan
from pcrm.services.identity.tier1 import run_tier1

__all__ = [
    "QUEUE_LIMIT",
    "dismiss_duplicate",
    "duplicates",
    "list_matches",
    "merge_match",
    "reject_match",
    "review_queue",
    "run_tier1",
    "scan",
]
