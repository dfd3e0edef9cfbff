"""The build hook: compile the gettext catalogues (.po) into the .mo files coopflow reads.

Compiled catalogues are build output, never committed: the wheel gets them from here, and an
editable install finds them beside their .po files in the source tree (ignored by git).
Babel is a build requirement of this hook only; installing coopflow does not bring it.
"""

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every ``_locale/*/LC_MESSAGES/*.po`` under `root` next to itself; return the .mo."""
    compiled = []
    for po in sorted(root.glob("src/coopflow/_locale/*/LC_MESSAGES/*.po")):
        with po.open("rb") as file:
            catalog = read_po(file, locale=po.parts[-3])
        errors = [f"{po}: {m.id!r}: {e}" for m, found in catalog.check() for e in found]
        if errors:
            raise ValueError("\n".join(errors))
        mo = po.with_suffix(".mo")
        with mo.open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        compiled.append(mo)
    return compiled


class CatalogueHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the catalogues before the wheel (or the editable wheel) is built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, and put the .mo files into the wheel even though git ignores them."""
        root = Path(self.root)
        for mo in compile_catalogues(root):
            build_data["artifacts"].append(str(mo.relative_to(root)))
