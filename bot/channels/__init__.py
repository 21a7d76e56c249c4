"""Messaging channels beside Telegram, each an adapter over one channel-neutral core (`core`)."""
