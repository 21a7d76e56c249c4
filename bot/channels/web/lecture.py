"""Routes of the web channel's lecture page(s) (issue 34); filled in by its owner."""

from __future__ import annotations

from typing import Any

from bot.channels.web.context import WebContext


def routes(ctx: WebContext) -> list[Any]:
    return []
