"""Messaging channels (Telegram, Zalo), each an adapter over the channel-neutral core (`bot.core`)."""
