"""Live audit: inventory accounts and regions, judge each resource's key with live_verdict, report KPIs."""
