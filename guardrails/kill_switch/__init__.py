"""The kill switch: cut off access to a workspace's data in one audited, reversible step.

Disabling a customer-managed key makes every Decrypt and GenerateDataKey with it fail at once, so the
workspaces and Bedrock resources it protects become unreadable until the key is enabled again (AWS KMS
Developer Guide, "Enabling and disabling keys": "When a KMS key is disabled, it cannot be used in any
cryptographic operation"). Deleting a key is irreversible, so the kill switch never schedules deletion.

- `target`: which key (from --key or --domain-id) and what KMS says about it;
- `blast_radius`: every workspace and Bedrock resource in the scanned account-regions that uses it;
- `switch`: engage (DisableKey) and release (EnableKey), each tagged on the key and recorded;
- `record`: the history entry and the key tags that say who, when and why;
- `report`: text and JSON renderings.
"""
