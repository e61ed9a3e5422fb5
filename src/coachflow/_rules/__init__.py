"""The rules: findings judged as of a day (one module per family, each rule declared
once), the plan and the next actions, and an organisation's `RuleSet`. They read an
engagement through the engine's query surface only."""
