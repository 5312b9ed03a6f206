"""Marshmallow fields for the API's recurring shapes: a code with its label, a link to a page or to the API.

They are Nested/String fields, so the OpenAPI document describes them exactly as they are dumped.
"""

from flask import url_for
from marshmallow import Schema, fields


class CodeSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable code"})
    label = fields.String(required=True, metadata={"description": "Label in the asked language"})


class CodeLabel(fields.Nested):
    """A coded value (status, theme, role) dumped as ``{"code", "label"}`` with the label translated."""

    def __init__(self, labels, **kwargs):
        super().__init__(CodeSchema, **kwargs)
        self.labels = labels

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return {"code": str(value), "label": str(self.labels.get(value, value))}


class Link(fields.String):
    """An absolute URL built from the object: ``Link("commitments.detail", commitment_id="id")``."""

    def __init__(self, endpoint: str, **values):
        super().__init__(attribute=next(iter(values.values())), metadata={"format": "uri"}, required=True, dump_only=True)
        self.endpoint = endpoint
        self.values = values

    def _serialize(self, value, attr, obj, **kwargs):
        return url_for(self.endpoint, _external=True, **{name: getattr(obj, source)
                                                         for name, source in self.values.items()})


class Themes(fields.List):
    """The themes of an item, each as ``{"code", "label"}`` in the asked language."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(CodeSchema), required=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return [{"code": theme.code, "label": theme.name} for theme in value or ()]


class FrameworkTags(fields.List):
    """The framework tags of an item, each as ``{"code", "label"}``: the code is the tag's slug ("gcm-21")."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(CodeSchema), required=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return [{"code": tag.slug, "label": tag.label} for tag in value or ()]


class Inline(fields.Nested):
    """A nested object made of some of the item's own columns (an indicator's unit, baseline, target...)."""

    def __init__(self, schema, **kwargs):
        super().__init__(schema, attribute="id", required=True, dump_only=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(obj, attr, obj, **kwargs)
