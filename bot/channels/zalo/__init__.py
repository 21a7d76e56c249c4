"""The Zalo Bot Platform channel: `client` (its HTTP API), `formatting` (plain text of at most
2,000 characters a message), `handlers` (commands and questions over the core), `app` (polling,
webhook, the processed-message state, `run`)."""
