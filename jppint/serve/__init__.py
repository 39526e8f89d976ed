"""`jppint serve`: JP PINT validation over HTTP, for accounting systems not written in Python.

Installed with the `serve` extra (`pip install 'jppint[serve]'`): Starlette
for the application, uvicorn for HTTP, python-multipart for batches,
prometheus-client for `/metrics`. The modules, outside in:

    command     the `jppint serve` options (argparse only: the command line imports it)
    server      binds the socket, runs uvicorn, stops gracefully on SIGTERM
    app         routes and handlers: bytes in, the API's JSON report out
    auth        the optional bearer token
    limits      the request size limit
    metrics     Prometheus counters and histograms, one log line per request
    parameters  the query and header parameters of a validation
    dispatch    the worker-process pool behind a bounded queue and a time limit
    problems    every refusal as a JSON error with the command line's reason text
    openapi     the OpenAPI document, from the same parameter table
"""
