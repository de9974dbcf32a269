"""Articles and release notes: typed, versioned, product-scoped Markdown items."""
