"""Schemathesis hooks of scripts/fuzz (loaded with SCHEMATHESIS_HOOKS=fuzz_hooks).

A header value with control characters (other than tab) is not valid HTTP (RFC 9110
§5.5): hyper refuses such a request with a bare 400 before Lectern sees it, so no
documented answer can apply. Such headers are not generated.
"""

import re

import schemathesis

_INVALID = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@schemathesis.hook
def filter_headers(context, headers):
    return not any(
        isinstance(value, str) and _INVALID.search(value) for value in (headers or {}).values()
    )
