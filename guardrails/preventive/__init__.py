"""Preventive controls: SCP and boundary documents, the Guard Hook and its rules, and their constructs."""
