"""`guardrails migrate`: copy a DataZone domain's contents into a new domain on a customer-managed key.

A domain's key is fixed at creation, so a workspace on an AWS-owned key needs a new domain. This
package reads both domains through DataZone's own APIs (reader, kinds/), plans the creates that are
missing in the target (plan), executes them with every created id recorded as it happens (state,
apply), compares both domains afterwards (verify) and lists what no API can copy (report).
"""
