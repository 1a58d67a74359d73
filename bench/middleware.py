"""X-Bench-Queries and X-Bench-Db-Ms on every response: how many queries it took and how long they took."""

import time

from django.db import connection


class QueryCountHeader:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counted = {"queries": 0, "seconds": 0.0}

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                counted["queries"] += 1
                counted["seconds"] += time.perf_counter() - started

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(counted["queries"])
        response["X-Bench-Db-Ms"] = f"{counted['seconds'] * 1000:.2f}"
        return response
