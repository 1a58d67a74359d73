"""Request parsing for the API: JSON only, and a body nested too deeply is a bad request, not a crash."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser


class JSONParser(DrfJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's JSON decoder recurses once per level of nesting; no real request nests this deep.
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
