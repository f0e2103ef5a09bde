"""One module per family of DataZone entities: how to read them from a domain (`read(reader)`) and which
target calls copy them (`plan(context)`). plan.KINDS fixes the order: what is referenced comes first."""
