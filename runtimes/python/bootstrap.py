"""lambda-twin's Python runtime client: loads the handler named by _HANDLER and serves events from the Lambda
Runtime API (AWS_LAMBDA_RUNTIME_API), with the context object, error shapes and log format of AWS's awslambdaric.
Standard library only; one keep-alive connection for the life of the environment."""

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

RUNTIME_PATH = "/2018-06-01/runtime"
_BOOTSTRAP_FILE = os.path.abspath(__file__)


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


class RuntimeClient:
    """The Runtime API over one persistent HTTP/1.1 connection."""

    def __init__(self, endpoint):
        host, _, port = endpoint.partition(":")
        self.conn = http.client.HTTPConnection(host, int(port or 80))

    def _request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            try:
                self.conn.request(method, RUNTIME_PATH + path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt == 2:
                    raise

    def next(self):
        response, body = self._request("GET", "/invocation/next")
        if response.status != 200:
            raise RuntimeError("Runtime API /next returned %d: %s" % (response.status, body[:200]))
        return response.headers, body

    def post_response(self, request_id, body, content_type):
        self._request("POST", "/invocation/%s/response" % request_id, body, {"Content-Type": content_type})

    def post_error(self, request_id, error, error_type):
        self._request("POST", "/invocation/%s/error" % request_id, to_json_bytes(error),
                      {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error_type})

    def post_init_error(self, error, error_type):
        self._request("POST", "/init/error", to_json_bytes(error),
                      {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error_type})


class _DecimalEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, decimal.Decimal):
            return float(o) if o % 1 else int(o)
        return super().default(o)


def to_json_bytes(value):
    ensure_ascii = sys.version_info < (3, 12)
    return json.dumps(value, cls=_DecimalEncoder, ensure_ascii=ensure_ascii).encode("utf-8")


def make_error(message, error_type, stack_trace, request_id=""):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id,
        "stackTrace": stack_trace if stack_trace else [],
    }


def build_fault_result(exc_info, request_id, message=None):
    etype, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    # Drop the runtime's own frames: the user sees their code first, as in Lambda.
    for i, frame in enumerate(frames):
        if frame.filename != _BOOTSTRAP_FILE:
            frames = frames[i:]
            break
    else:
        frames = []
    return make_error(message if message else str(value), etype.__name__, traceback.format_list(frames), request_id)


def log_error(error):
    line = "[ERROR] " + error.get("errorType", "")
    if error.get("errorMessage"):
        line += ": " + error["errorMessage"]
    lines = [line]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            lines.extend(element.rstrip("\n").splitlines())
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '%s': %s" % (handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                                 "Cannot use built-in module %s as a handler module" % modname)
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR,
                             "Syntax error in module '%s': %s" % (modname, e), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        fault = FaultException(FaultException.HANDLER_NOT_FOUND,
                               "Handler '%s' missing on module '%s'" % (fname, modname))

        def missing_handler(*_args):
            raise fault
        return missing_handler


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


class LambdaContext:
    """The context object, with the attributes and methods of awslambdaric's."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, cognito_identity, tenant_id):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self._deadline_ms = deadline_ms
        self.client_context = None
        if client_context:
            self.client_context = ClientContext()
            self.client_context.custom = client_context.get("custom")
            self.client_context.env = client_context.get("env")
            self.client_context.client = None
            if client_context.get("client"):
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
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s])" % (
                    self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                    self.memory_limit_in_mb, self.function_version, self.invoked_function_arn))


class _RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = _RequestIdFilter.request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                                  "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    if level:
        root.setLevel(level.upper())


def _json_header(headers, name):
    value = headers.get(name)
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def handle_event(client, handler, headers, body):
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    _RequestIdFilter.request_id = request_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    try:
        content_type = headers.get("Content-Type", "application/json")
        if content_type.startswith("application/json") or not content_type:
            try:
                event = json.loads(body.decode("utf-8"))
            except ValueError as e:
                raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % e)
        else:
            event = body
        context = LambdaContext(request_id, int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
                                headers.get("Lambda-Runtime-Invoked-Function-Arn"),
                                _json_header(headers, "Lambda-Runtime-Client-Context"),
                                _json_header(headers, "Lambda-Runtime-Cognito-Identity"),
                                headers.get("Lambda-Runtime-Aws-Tenant-Id"))
        result = handler(event, context)
        if isinstance(result, (bytes, bytearray)):
            payload, result_type = bytes(result), "application/unknown"
        else:
            try:
                payload, result_type = to_json_bytes(result), "application/json"
            except (TypeError, ValueError) as e:
                raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: %s" % e)
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, request_id)
        log_error(error)
        client.post_error(request_id, error, e.exception_type)
        return
    except Exception:
        error = build_fault_result(sys.exc_info(), request_id)
        log_error(error)
        client.post_error(request_id, error, "Unhandled")
        return
    sys.stdout.flush()
    sys.stderr.flush()
    client.post_response(request_id, payload, result_type)


def main():
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    sys.path.insert(0, task_root)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()
    handler_name = os.environ.get("_HANDLER", "")
    error = None
    try:
        handler = get_handler(handler_name)
    except FaultException as e:
        error = (make_error(e.msg, e.exception_type, e.trace), e.exception_type)
    except Exception:
        result = build_fault_result(sys.exc_info(), "")
        error = (result, "Runtime.Unknown" if not result["errorType"] else result["errorType"])
    if error is not None:
        log_error(error[0])
        client.post_init_error(error[0], error[1])
        sys.exit(1)
    while True:
        headers, body = client.next()
        handle_event(client, handler, headers, body)


if __name__ == "__main__":
    main()
