"""The command menu a platform offers (Telegram's ``setMyCommands``), as validated content.

Each locale file has a ``commands`` group: a stable key per entry (the same in every
language) mapping to the command's ``name`` in that language and its ``description``. The
order of the group is the order of the menu.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator

from bot.errors import ContentError

#: Telegram's rules for a bot command: 1–32 of a–z, 0–9 and _; a description of 1–256.
COMMAND_PATTERN = r"^[a-z0-9_]{1,32}$"
DESCRIPTION_LIMIT = 256


class MenuEntry(BaseModel):
    """One command of the menu: its name without the slash and what it does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(pattern=COMMAND_PATTERN)]
    description: Annotated[str, Field(min_length=1, max_length=DESCRIPTION_LIMIT)]


class CommandMenu(RootModel[dict[str, MenuEntry]]):
    """The menu of one language: stable key -> entry, in menu order."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="after")
    def _names_differ(self) -> CommandMenu:
        seen: set[str] = set()
        for entry in self.root.values():
            if entry.name in seen:
                raise ValueError(f"the command {entry.name!r} is listed twice")
            seen.add(entry.name)
        if not seen:
            raise ValueError("the menu has no commands")
        return self

    def pairs(self) -> list[tuple[str, str]]:
        """The menu as (command, description) pairs, in order."""
        return [(e.name, e.description) for e in self.root.values()]


def read_menu(tree: Mapping[str, Any], file: str) -> CommandMenu:
    """Validate the ``commands`` group of one parsed locale file.

    Raises:
        ContentError: naming the file and the field (``commands.assess.name``).

    """
    group = tree.get("commands")
    if not isinstance(group, Mapping):
        raise ContentError(file, "commands", "expected the command menu: key -> name, description")
    try:
        return CommandMenu.model_validate(dict(group))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in ("commands", *first["loc"]))
        raise ContentError(file, field, first["msg"]) from exc
