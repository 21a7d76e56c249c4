"""The Telegram channel (python-telegram-bot): an adapter over the channel-neutral core."""
