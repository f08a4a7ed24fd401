"""Use cases: one module per area, one public function per use case.

A request reads top to bottom through three layers: a resource (api/resources/) parses the
request with its schemas, calls ONE function here and shapes the answer; the function here owns
the use case's transaction and every side effect the API promises (the account's event row, a
session started or ended, cache invalidation, a retry after a lock conflict); the data layer
(api/data/) runs the SQL. Nothing imports from a layer above it.

Signals (api/signals.py) announce what happened to observers (logs, metrics), sent after the
commit; no promise of the API rests on a receiver whose error is swallowed.
"""
