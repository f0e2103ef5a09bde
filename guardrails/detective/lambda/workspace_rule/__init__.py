"""The periodic custom Config rule for DataZone domains (Bedrock workspaces) and Bedrock resources."""
