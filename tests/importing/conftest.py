"""The people of the commitment tests: an owner ministry, another ministry, an IOM office, and their staff."""

import pytest
from jinja2 import BytecodeCache


@pytest.fixture
def cast(factory):
    """Everyone who may come to a commitment of the owner ministry, keyed by the name used in the tests."""
    owner = factory.organisation(slug="sreci", name="Cancillería de Honduras", name_en="Foreign Ministry of Honduras")
    other = factory.organisation(slug="minex", name="Ministerio de Relaciones Exteriores de Guatemala", country="GTM")
    iom = factory.organisation(kind="iom_office", slug="oim", name="OIM Honduras", name_en="IOM Honduras")
    return {
        "owner": owner, "other": other, "iom": iom,
        "viewer": factory.user(owner, role="viewer", email="viewer@sreci.example"),
        "owner_editor": factory.user(owner, role="editor", email="editor@sreci.example"),
        "other_editor": factory.user(other, role="editor", email="editor@minex.example"),
        "iom_editor": factory.user(iom, role="editor", email="editor@oim.example"),
        "org_admin": factory.user(owner, role="org_admin", email="chief@sreci.example"),
        "site_admin": factory.admin(email="root@portal.example"),
    }


#: Compiled templates shared by the many short-lived apps of these tests (keyed by the template's source, so a
#: changed template is compiled again); it only saves the time of compiling the same pages for every test.
class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket):
        self.stored[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = MemoryBytecodeCache()


@pytest.fixture
def app(make_app):
    app = make_app()
    app.jinja_env.bytecode_cache = _TEMPLATES
    return app
