"""The authenticated HTTP API: a thin FastAPI edge over the ``Accord`` service.

Routers only parse input, call the service or the store and render response
models; every rule (visibility, roles, auditing) lives below this package, so
the API, the CLI and the web console cannot disagree about who sees what.
"""
