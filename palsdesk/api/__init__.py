"""The REST API's shared parts: token authentication, pagination, error answers and the URL map."""
