"""lambda-twin's Python runtime client: loads the handler named by _HANDLER and serves events from the Lambda
Runtime API (AWS_LAMBDA_RUNTIME_API), with the context object, error shapes and log format of AWS's awslambdaric.

Standard library only, and little of it at start-up: the Runtime API is spoken over one raw keep-alive socket
(http.client would pull in the email package), json is imported with the first event, traceback only for an
error, and logging is configured the moment the function itself imports it."""

import os
import sys
import time

import _socket

RUNTIME_PATH = "/2018-06-01/runtime"
_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))
_ENSURE_ASCII = sys.version_info < (3, 12)
_ERROR_LOG_INDENT = "\u00a0"  # awslambdaric replaces leading spaces of traceback lines with NO-BREAK SPACE

json = None  # imported with the first event (or the first error)


def _json():
    global json
    if json is None:
        import json as json_module
        json = json_module
    return json


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


class RuntimeApiError(Exception):
    """The Runtime API answered something a runtime cannot go on from."""


# ---- the Runtime API over a raw HTTP/1.1 keep-alive socket --------------------------------------------------
# An invocation's result and the next /next go out in one write (pipelined): the Runtime API, as RAPID's Go server,
# answers a connection's requests in order, and the round trip between them is saved.

class RuntimeClient:
    def __init__(self, endpoint):
        host, _, port = endpoint.rpartition(":")
        self.address = (host or "127.0.0.1", int(port))
        self.host_header = endpoint
        self.sock = None
        self.pending = b""
        self.next_sent = False

    def _connect(self):
        sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        sock.connect(self.address)
        self.sock = sock
        self.pending = b""

    def _head(self, method, path, body, extra_headers):
        if body is None:
            return ("%s %s%s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (method, RUNTIME_PATH, path, self.host_header, extra_headers)).encode("latin-1")
        return ("%s %s%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n" % (
            method, RUNTIME_PATH, path, self.host_header, len(body), extra_headers)).encode("latin-1")

    def _send(self, method, path, body=None, extra_headers="", then=b""):
        """Writes a request, and `then` (a request pipelined behind it) in the same write when it is small."""
        if self.sock is None:
            self._connect()
        head = self._head(method, path, body, extra_headers)
        if body is None:
            self.sock.sendall(head + then)
        elif len(body) < 65536:
            self.sock.sendall(head + body + then)
        else:
            self.sock.sendall(head)
            self.sock.sendall(body)
            if then:
                self.sock.sendall(then)

    def _request(self, method, path, body=None, extra_headers=""):
        self._send(method, path, body, extra_headers)
        return self._read_response()

    def _post_result(self, path, body, extra_headers):
        """Posts an invocation's result with the next /next pipelined behind it: the Runtime API answers in order."""
        self._send("POST", path, body, extra_headers, self._head("GET", "/invocation/next", None, ""))
        self._read_response()
        self.next_sent = self.sock is not None

    def _read_response(self):
        sock = self.sock
        data = self.pending
        end = data.find(b"\r\n\r\n")
        while end < 0:
            chunk = sock.recv(65536)
            if not chunk:
                self.sock = None
                raise RuntimeApiError("the Runtime API closed the connection")
            data += chunk
            end = data.find(b"\r\n\r\n")
        lines = data[:end].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        start = end + 4
        available = len(data) - start
        if available >= length:
            body = data[start:start + length]
            self.pending = data[start + length:]
        else:
            buffer = bytearray(length)
            view = memoryview(buffer)
            view[:available] = data[start:]
            received = available
            while received < length:
                count = sock.recv_into(view[received:], length - received)
                if count == 0:
                    self.sock = None
                    raise RuntimeApiError("the Runtime API closed the connection mid-body")
                received += count
            body = bytes(buffer)
            self.pending = b""
        if headers.get("connection", "").lower() == "close":
            sock.close()
            self.sock = None
        return status, headers, body

    def next(self):
        if self.next_sent:
            self.next_sent = False
            status, headers, body = self._read_response()
        else:
            status, headers, body = self._request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeApiError("Runtime API /next answered %d: %r" % (status, body[:200]))
        return headers, body

    def post_response(self, request_id, body, content_type):
        self._post_result("/invocation/%s/response" % request_id, body, "Content-Type: %s\r\n" % content_type)

    def post_error(self, request_id, error, error_type):
        self._post_result("/invocation/%s/error" % request_id, to_json_bytes(error),
                      "Content-Type: application/json\r\nLambda-Runtime-Function-Error-Type: %s\r\n" % error_type)

    def post_init_error(self, error, error_type):
        self._request("POST", "/init/error", to_json_bytes(error),
                      "Content-Type: application/json\r\nLambda-Runtime-Function-Error-Type: %s\r\n" % error_type)


# ---- marshalling, as awslambdaric's marshaller: JSON with Decimal, bytes as they are --------------------------

class _Marshal:
    """Encodes a handler's result. Decimals become exact JSON numbers, as simplejson's RawJSON does."""

    def __init__(self):
        self.decimals = None

    def default(self, value):
        if type(value).__name__ == "Decimal" and type(value).__module__ in ("decimal", "_decimal", "_pydecimal"):
            if value.is_nan():
                return float("nan")
            if self.decimals is None:
                self.decimals = []
            self.decimals.append(str(value))
            return "\x00%d\x00" % (len(self.decimals) - 1)
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)

    def encode(self, value):
        text = _json().dumps(value, default=self.default, ensure_ascii=_ENSURE_ASCII)
        if self.decimals:
            for index, raw in enumerate(self.decimals):
                text = text.replace('"\\u0000%d\\u0000"' % index, raw)
            self.decimals = None
        return text


_marshal = _Marshal()


def to_json_bytes(value):
    return _marshal.encode(value).encode("utf-8")


# ---- paths users recognise -----------------------------------------------------------------------------------
# The twin runs a copy of the code; _LAMBDA_TWIN_SOURCE_PATHS (JSON [[copy, source], ...]) says where each copy came
# from, so tracebacks name the user's files. Read once and removed: the function never sees it.

def _read_source_paths():
    raw = os.environ.pop("_LAMBDA_TWIN_SOURCE_PATHS", None)
    if not raw:
        return []
    try:
        pairs = [(str(copy).rstrip(os.sep) + os.sep, str(source).rstrip(os.sep) + os.sep)
                 for copy, source in _json().loads(raw) if copy and source]
    except (ValueError, TypeError):
        return []
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_SOURCE_PATHS = _read_source_paths()


def user_path(filename):
    for copy, source in _SOURCE_PATHS:
        if filename.startswith(copy):
            return source + filename[len(copy):]
    return filename


# ---- errors, shaped as awslambdaric shapes them --------------------------------------------------------------

def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def build_fault_result(exc_info, request_id=None):
    import traceback
    etype, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    # The runtime's own frames come first; the user sees their code from the first frame outside it.
    for index, frame in enumerate(frames):
        if not frame.filename.startswith(_RUNTIME_DIR + os.sep):
            frames = frames[index:]
            break
    else:
        frames = []
    for frame in frames:
        frame.filename = user_path(frame.filename)
    return make_error(str(value), etype.__name__, traceback.format_list(frames), request_id)


def _indent_with_nbsp(line):
    stripped = line.lstrip(" ")
    return _ERROR_LOG_INDENT * (len(line) - len(stripped)) + stripped


def log_error(error):
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            if element == "":
                lines.append("")
            else:
                lines.extend(_indent_with_nbsp(line) for line in element.splitlines())
    sys.stdout.write("\n".join(lines) + "\n")


# ---- loading the handler -------------------------------------------------------------------------------------

def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '%s': %s" % (handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                                 "Cannot use built-in module %s as a handler module" % modname)
        name = modname.replace("/", ".")
        __import__(name)
        module = sys.modules[name]
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '%s': %s" % (modname, e), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND, "Handler '%s' missing on module '%s'" % (fname, modname))


# ---- the context object ---------------------------------------------------------------------------------------

class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


_ENV = os.environ


class LambdaContext:
    """The context object, with the attributes and methods of awslambdaric's."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, cognito_identity, tenant_id):
        self.aws_request_id = request_id
        self.log_group_name = _ENV.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = _ENV.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = _ENV.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = _ENV.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = _ENV.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self._epoch_deadline_time_in_ms = deadline_ms
        self.client_context = None
        if client_context is not None:
            self.client_context = ClientContext()
            self.client_context.custom = client_context.get("custom")
            self.client_context.env = client_context.get("env")
            self.client_context.client = None
            if client_context.get("client") is not None:
                c = client_context["client"]
                client = Client()
                client.installation_id = c.get("installation_id")
                client.app_title = c.get("app_title")
                client.app_version_name = c.get("app_version_name")
                client.app_version_code = c.get("app_version_code")
                client.app_package_name = c.get("app_package_name")
                self.client_context.client = client
        self.identity = CognitoIdentity()
        self.identity.cognito_identity_id = (cognito_identity or {}).get("cognitoIdentityId")
        self.identity.cognito_identity_pool_id = (cognito_identity or {}).get("cognitoIdentityPoolId")

    def get_remaining_time_in_millis(self):
        return max(int(self._epoch_deadline_time_in_ms - time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s,"
                "tenant_id=%s])" % (
                    self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                    self.memory_limit_in_mb, self.function_version, self.invoked_function_arn, self.client_context,
                    self.identity, self.tenant_id))


# ---- logging, configured when the function imports it -----------------------------------------------------------

_current_request_id = ""


def _configure_logging(logging):
    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            sys.stdout.write(self.format(record))

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _current_request_id
            return True

    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = _ENV.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


class _ConfigureLoggingOnImport:
    """A meta path finder that lets the normal finders load `logging`, then configures it as Lambda does."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            _configure_logging(module)

        loader.exec_module = exec_module
        return spec


def install_logging():
    if "logging" in sys.modules:
        _configure_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _ConfigureLoggingOnImport())


# ---- the invoke loop -------------------------------------------------------------------------------------------------

def _json_header(headers, name, what):
    value = headers.get(name)
    if not value:
        return None
    try:
        return _json().loads(value)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse %s JSON: %s" % (what, e))


def handle_event(client, handler, headers, body):
    global _current_request_id
    request_id = headers.get("lambda-runtime-aws-request-id")
    _current_request_id = request_id
    trace_id = headers.get("lambda-runtime-trace-id")
    if trace_id:
        _ENV["_X_AMZN_TRACE_ID"] = trace_id
    elif "_X_AMZN_TRACE_ID" in _ENV:
        del _ENV["_X_AMZN_TRACE_ID"]
    error = None
    try:
        context = LambdaContext(request_id, int(headers.get("lambda-runtime-deadline-ms") or 0),
                                headers.get("lambda-runtime-invoked-function-arn"),
                                _json_header(headers, "lambda-runtime-client-context", "Client Context"),
                                _json_header(headers, "lambda-runtime-cognito-identity", "Cognito Identity"),
                                headers.get("lambda-runtime-aws-tenant-id"))
        content_type = headers.get("content-type", "application/json")
        if content_type == "application/json":
            try:
                event = _json().loads(body)
            except Exception as e:
                raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % e)
        else:
            event = body
        result = handler(event, context)
        if isinstance(result, bytes):
            payload, result_type = result, "application/unknown"
        else:
            try:
                payload, result_type = to_json_bytes(result), "application/json"
            except Exception as e:
                raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: %s" % e)
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, request_id)
    except Exception:
        error = build_fault_result(sys.exc_info(), request_id)
    if error is not None:
        log_error(error)
        client.post_error(request_id, error, "Unhandled" if not error["errorType"].startswith("Runtime.") else error["errorType"])
        return
    client.post_response(request_id, payload, result_type)


def main():
    sys.path.insert(0, _ENV["LAMBDA_TASK_ROOT"])
    client = RuntimeClient(_ENV["AWS_LAMBDA_RUNTIME_API"])
    install_logging()
    handler_name = _ENV.get("_HANDLER", "")
    try:
        handler = get_handler(handler_name)
    except Exception as e:
        if isinstance(e, FaultException):
            error = make_error(e.msg, e.exception_type, e.trace)
        else:
            error = build_fault_result(sys.exc_info())
        log_error(error)
        client.post_init_error(error, error["errorType"] if error["errorType"].startswith("Runtime.") else "Runtime.Unknown")
        sys.exit(1)
    while True:
        headers, body = client.next()
        handle_event(client, handler, headers, body)
