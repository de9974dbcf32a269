"""Products and their versions: first-class records that content, patches and organisations name."""
