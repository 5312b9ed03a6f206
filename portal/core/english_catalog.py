"""Fill the English catalog: the source strings are English, so each translation is its msgid.

Run by ``make messages`` after extraction, so that the English catalog is complete and a
test can tell a forgotten string from a deliberate one.
"""

import sys

from babel.messages.pofile import read_po, write_po


def fill_english_catalog(path: str) -> int:
    """Copy each msgid into its empty msgstr; return how many entries were filled."""
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (tuple, list)):
            if not all(message.string):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return filled


if __name__ == "__main__":
    print(f"{fill_english_catalog(sys.argv[1])} English entries filled")
