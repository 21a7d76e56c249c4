"""The channel-neutral core: what every channel needs (answer, look up, feedback, outlines, access), and what an exchange leaves behind."""
