"""Who sees what: views and erasure, read from each field's `Visibility` declaration."""
