"""Post-processing of the OpenAPI description (drf-spectacular's POSTPROCESSING_HOOKS): the
JSON errors every endpoint can answer (companies/api_auth.py: {"code", "message", "fields"}),
which drf-spectacular does not infer, so clients and Schemathesis (tests/api/
test_schemathesis.py) know each status code an operation may give."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "A stable identifier, e.g. not_found, invalid, throttled"},
        "message": {"type": "string", "description": "In the caller's language"},
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "For `invalid`: the messages of each field",
        },
    },
    "required": ["code", "message"],
}

ERRORS = {
    "400": "Invalid parameters or body (code `invalid` or `parse_error`)",
    "401": "No token, or a token that is not valid",
    "403": "A read-only token used to write",
    "404": "Not there, or not visible to the caller",
    "409": (
        "A rule forbids this change now (code `meeting_rule`, `wish_rule`, `exhibition_rule`, or `run_busy`"
        " while a run is going)"
    ),
    "429": "Too many requests for this token",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/") or path.endswith("/schema/"):
            continue
        for method, operation in operations.items():
            codes = ["401", "403", "404", "429"]
            if operation.get("parameters") or operation.get("requestBody") or method != "get":
                codes.append("400")
            # Writes go through the services, whose refusals are 409 (webhooks have none).
            if method != "get" and "/webhooks/" not in path:
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERRORS[code], "content": reference})
    return result
