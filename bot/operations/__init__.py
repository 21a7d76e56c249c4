"""Running the service: the journal, what the library lacks, reports, health, rate-limited logs."""
