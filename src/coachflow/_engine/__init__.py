"""The engine: the process definition run by one `transitions` machine, the state an
engagement folds its events into, and the one read-only query surface over it."""
