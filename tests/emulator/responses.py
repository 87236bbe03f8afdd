"""Request and Response as the route handlers see them, and the AWS JSON error shape."""
import json
import urllib.parse

JSON_TYPE = "application/x-amz-json-1.1"


class Request:
    """One parsed HTTP request, as the route handlers see it."""

    def __init__(self, method, raw_path, headers, body, conn_id):
        self.method = method
        split = urllib.parse.urlsplit(raw_path)
        self.path = split.path or "/"
        self.raw_query = split.query
        self.query = {k: v[0] for k, v in urllib.parse.parse_qs(split.query, keep_blank_values=True).items()}
        self.headers = {}
        for k, v in headers.items():
            self.headers.setdefault(k.lower(), []).append(v)
        self.body = body
        self.conn_id = conn_id
        self.input = None  # what the log shows as the request's input

    def header(self, name, default=None):
        v = self.headers.get(name.lower())
        return v[0] if v else default


class Response:
    def __init__(self, status, body=b"", content_type=None, headers=None, error_code=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.error_code = error_code


def json_response(obj, status=200, content_type=JSON_TYPE):
    body = b"" if obj is None else json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Response(status, body, content_type)


def aws_json_error(code, message, status=400, extra_headers=None, message_key="message"):
    """An error exactly as AWS JSON 1.1 services send it. x-amzn-ErrorMessage goes with every
    error, not only validation ones: wire captures show it on NotAuthorizedException too
    (amplify-js#2443 "Logins don't match", amazon-cognito-ios#13 "Access to Identity ... is
    forbidden."). IAM's own denials spell the key `Message` (message_key)."""
    r = Response(status, json.dumps({"__type": code, message_key: message}, ensure_ascii=False), JSON_TYPE,
                 {"x-amzn-ErrorType": f"{code}:", "x-amzn-ErrorMessage": header_safe(message)}, code)
    r.headers.update(extra_headers or {})
    return r


def header_safe(text):
    """Header values must be Latin-1 on the wire: escape the rest, fold line breaks."""
    return " ".join(text.encode("ascii", "backslashreplace").decode("ascii").split())
