"""Schemathesis hooks of scripts/fuzz (loaded with SCHEMATHESIS_HOOKS=fuzz_hooks).

- A header value with control characters (other than tab) is not valid HTTP (RFC 9110
  §5.5): hyper refuses such a request with a bare 400 before Lectern sees it, so no
  documented answer can apply. Such headers are not generated.
- Ids of things that exist: LECTERN_FUZZ_IDS names the JSON that scripts/fuzz_seed.py
  printed; path parameters and body ids are drawn from it half of the time (the other
  half keeps the generated value), so commands and queries reach their handlers' rules
  instead of stopping at 404.
- LECTERN_FUZZ_TALLY names a file that gets one line per answer (`[operation, status]`),
  so a run shows how deep it reached (scripts/fuzz prints the summary).
"""

import json
import os
import re

import schemathesis
from hypothesis import strategies as st

_INVALID = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@schemathesis.hook
def filter_headers(context, headers):
    return not any(
        isinstance(value, str) and _INVALID.search(value) for value in (headers or {}).values()
    )


def _load_ids():
    path = os.environ.get("LECTERN_FUZZ_IDS")
    if not path:
        return {}
    with open(path, encoding="utf-8") as ids:
        return json.load(ids)


_IDS = _load_ids()

# The kind of id a path parameter names, by the path's first segment after /v1/.
_ID_BY_RESOURCE = {
    "classes": "class",
    "content-requests": "content",
    "lessons": "lesson",
    "students": "student",
    "users": "user",
}
_ID_BY_NAME = {
    "lesson_id": "lesson",
    "student_id": "student",
    "stream_id": "stream",
}
# Body fields that name an existing thing (ids a command creates are left as generated).
_BODY_IDS = {
    "class_id": "class",
    "student_id": "student",
    "parent_id": "parent",
    "content_request_id": "content",
}


def _kind(path, name):
    if name in _ID_BY_NAME:
        return _ID_BY_NAME[name]
    if name == "id":
        segments = path.strip("/").split("/")
        return _ID_BY_RESOURCE.get(segments[1] if len(segments) > 1 else "")
    return None


def _with_known(values, kind_of):
    """A strategy: `values` as generated, or with every known id replaced by a real one."""
    picks = {
        name: st.sampled_from(_IDS[kind])
        for name in values
        if (kind := kind_of(name)) and _IDS.get(kind)
    }
    if not picks:
        return st.just(values)
    real = st.fixed_dictionaries(picks).map(lambda chosen: {**values, **chosen})
    return st.one_of(st.just(values), real)


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    path = context.operation.path if context.operation else ""
    return _with_known(path_parameters or {}, lambda name: _kind(path, name))


@schemathesis.hook
def flatmap_body(context, body):
    if not isinstance(body, dict):
        return st.just(body)
    return _with_known(body, _BODY_IDS.get)


@schemathesis.hook
def after_call(context, case, response):
    tally = os.environ.get("LECTERN_FUZZ_TALLY")
    if tally:
        with open(tally, "a", encoding="utf-8") as out:
            out.write(json.dumps([case.operation.label, response.status_code]) + "\n")
