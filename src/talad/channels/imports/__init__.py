"""Marketplace order imports: a file read into ImportedOrders (readers), then applied to Talad
through the order services (apply). See rows.py for the types between the two halves."""
