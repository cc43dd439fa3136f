"""Compile the translation catalogues: each app's locale/<language>/LC_MESSAGES/django.po
into the django.mo Django reads. Run by `make install`; after editing a .po file, run
``python -m carepath.translations``.

Babel compiles them, so nothing outside Python is needed (Django's compilemessages needs
GNU gettext's msgfmt). The .mo files are built, never committed. A catalogue with an
empty or fuzzy translation, or whose placeholders (like %(helpline)s) differ from the
English, is not compiled: the command says which and fails.
"""

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent


def catalogues(root: Path = PACKAGE_DIR) -> list[Path]:
    """Every app's .po files (carepath/<app>/locale/<language>/LC_MESSAGES/*.po)."""
    return sorted(root.glob("*/locale/*/LC_MESSAGES/*.po"))


def read(po: Path):
    with po.open("rb") as f:
        return read_po(f, abort_invalid=True)


def problems(po: Path) -> list[str]:
    """What stops a catalogue from being shipped, in words a translator can act on."""
    found = []
    for message in read(po):
        if not message.id:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            found.append(f"not translated: {english!r}")
        elif message.fuzzy:
            found.append(f"marked fuzzy (to be checked): {english!r}")
        for error in message.check():
            found.append(f"{error} in {english!r}")
    return found


def compiled(po: Path) -> bytes:
    """The .mo file's content for a catalogue."""
    buffer = io.BytesIO()
    write_mo(buffer, read(po))
    return buffer.getvalue()


def compile_all(root: Path = PACKAGE_DIR) -> list[str]:
    """Write every catalogue's .mo file; the problems found (nothing written for those)."""
    found = []
    for po in catalogues(root):
        errors = problems(po)
        if errors:
            found.extend(f"{po.relative_to(root.parent)}: {error}" for error in errors)
            continue
        po.with_suffix(".mo").write_bytes(compiled(po))
    return found


def main() -> int:
    found = compile_all()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 1
    print(f"Compiled {len(catalogues())} translation catalogue(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
