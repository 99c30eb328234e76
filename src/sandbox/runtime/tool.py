# Runs one tool call inside the sandbox: builds the tool's globals (http, json, datetime, arguments,
# secrets), executes `main`, and drives its coroutine. Loaded after guard.py into the same namespace.
#
# The coroutine is driven by hand rather than by an asyncio loop (asyncio needs sockets and the JS
# event loop, both removed): every `await http.…` yields a _HostCall, which the runner turns into an
# IPC request to the host and answers by calling `_swb_resume` with the response as a JSON string.

_json = json
# The standard library inside the interpreter's in-memory file system (lazy imports read it).
_READ_PREFIXES = ("/lib/python",)
_MAX_BARE_YIELDS = 100_000


class _HostCall:
    """What `await http.get(...)` yields to the driver: the request the host will perform."""

    __slots__ = ("payload",)

    def __init__(self, payload):
        self.payload = payload

    def __await__(self):
        response = yield self
        return response


class HttpError(Exception):
    """A request the host refused or could not complete (blocked host, timeout, too large)."""


class Response:
    """The answer to an `http` request."""

    def __init__(self, raw):
        self.status_code = int(raw.get("status", 0))
        self.headers = dict(raw.get("headers") or {})
        self.text = str(raw.get("text", ""))
        self.url = str(raw.get("url", ""))

    @property
    def ok(self):
        return 200 <= self.status_code < 400

    def json(self):
        return _json.loads(self.text)

    def raise_for_status(self):
        if not self.ok:
            raise HttpError(f"HTTP {self.status_code} for {self.url}")
        return self

    def __repr__(self):
        return f"<Response [{self.status_code}]>"


def _str_map(value, what):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a dict")
    return {str(k): str(v) for k, v in value.items()}


class Http:
    """The `http` global: async requests performed by the host's SSRF-safe client."""

    HttpError = HttpError

    async def request(self, method, url, *, params=None, headers=None, json=None, data=None, timeout=None):
        if not isinstance(url, str) or not isinstance(method, str):
            raise TypeError("method and url must be strings")
        headers = _str_map(headers, "headers")
        if params:
            query = urllib.parse.urlencode(_str_map(params, "params"))
            url = url + ("&" if "?" in url else "?") + query
        body = None
        if json is not None:
            body = _json.dumps(json)
            if not any(k.lower() == "content-type" for k in headers):
                headers["content-type"] = "application/json"
        elif isinstance(data, dict):
            body = urllib.parse.urlencode(_str_map(data, "data"))
            if not any(k.lower() == "content-type" for k in headers):
                headers["content-type"] = "application/x-www-form-urlencoded"
        elif isinstance(data, (bytes, bytearray)):
            body = bytes(data).decode("utf-8", "replace")
        elif data is not None:
            body = str(data)
        payload = {"op": "http", "method": method.upper(), "url": url, "headers": headers, "body": body}
        if timeout is not None:
            payload["timeoutMs"] = int(float(timeout) * 1000)
        raw = await _HostCall(payload)
        if not isinstance(raw, dict) or not raw.get("ok"):
            error = (raw or {}).get("error") or {}
            raise HttpError(str(error.get("message", "request failed")))
        return Response(raw)

    async def get(self, url, **kw):
        return await self.request("GET", url, **kw)

    async def post(self, url, **kw):
        return await self.request("POST", url, **kw)

    async def put(self, url, **kw):
        return await self.request("PUT", url, **kw)

    async def patch(self, url, **kw):
        return await self.request("PATCH", url, **kw)

    async def delete(self, url, **kw):
        return await self.request("DELETE", url, **kw)


def _make_driver():
    current = {"coro": None, "limits": {}}

    def bounded(text, limit):
        text = str(text)
        if len(text.encode("utf-8", "replace")) <= limit:
            return text
        return text.encode("utf-8", "replace")[: max(0, limit - 20)].decode("utf-8", "ignore") + " …[truncated]"

    def error(kind, message):
        current["coro"] = None
        limit = int(current["limits"].get("maxErrorBytes", 8192))
        return _json.dumps({"error": {"kind": kind, "message": bounded(message, limit)}})

    def describe(exc):
        with _swb_trusted():
            name = type(exc).__name__
            try:
                text = str(exc)[: int(current["limits"].get("maxErrorBytes", 8192))]
            except BaseException:
                text = "<unprintable>"
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<tool>"][-5:]
            where = "".join(f"\n  line {f.lineno}, in {f.name}" for f in frames)
        kind = "exception"
        if isinstance(exc, MemoryError):
            kind = "memory"
        elif isinstance(exc, RecursionError):
            kind = "recursion"
        elif isinstance(exc, ForbiddenImport):
            kind = "forbidden_import"
        elif isinstance(exc, SandboxViolation):
            kind = "forbidden"
        return error(kind, f"{name}: {text}{where}" if text else f"{name}{where}")

    def finish(value):
        current["coro"] = None
        limit = int(current["limits"].get("maxResultBytes", 1_048_576))
        try:
            dumped = _json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError) as exc:
            return error("exception", f"the result is not JSON-serialisable: {exc}")
        except MemoryError:
            return error("memory", "the result is too large to serialise")
        if len(dumped.encode("utf-8")) > limit:
            return error("output_too_large", f"the result is larger than {limit} bytes")
        structured = isinstance(value, dict)
        if isinstance(value, str):
            text = value
        elif value is None:
            text = ""
        else:
            text = dumped
        return '{"done":{"value":' + dumped + ',"structured":' + ("true" if structured else "false") + ',"text":' + _json.dumps(text, ensure_ascii=False) + "}}"

    def step(send=None):
        coro = current["coro"]
        for _ in range(_MAX_BARE_YIELDS):
            try:
                yielded = coro.send(send)
            except StopIteration as stop:
                return finish(stop.value)
            except BaseException as exc:
                current["coro"] = None
                return describe(exc)
            if isinstance(yielded, _HostCall):
                try:
                    return _json.dumps({"wait": yielded.payload})
                except (TypeError, ValueError):
                    send = {"ok": False, "error": {"message": "the request is not JSON-serialisable"}}
                    continue
            if yielded is not None:
                coro.close()
                return error("exception", "tools can only await http calls and their own coroutines")
            send = None
        return error("exception", "the tool yielded too many times without doing anything")

    def start(job_json):
        job = _json.loads(job_json)
        current["limits"] = job.get("limits") or {}
        current["coro"] = None
        code = job["code"]
        try:
            with _swb_trusted():
                tree = _ast.parse(code, "<tool>", "exec")
                problems = find_violations(tree, strict=True, limit=1)
                compiled = None if problems else compile(tree, "<tool>", "exec", dont_inherit=True)
        except SyntaxError as exc:
            return error("invalid_code", f"SyntaxError: {exc.msg} (line {exc.lineno})")
        except (MemoryError, RecursionError) as exc:
            return error("invalid_code", f"the code is too complex to compile: {type(exc).__name__}")
        if problems:
            line, _col, message = problems[0]
            return error("forbidden", f"line {line}: {message}")
        _swb_arm(job.get("allowedModules") or [], _READ_PREFIXES)
        arguments = job.get("arguments") or {}
        namespace = {
            "__builtins__": _swb_builtins(),
            "__name__": "__tool__",
            "http": Http(),
            "json": _swb_facade(json),
            "datetime": _swb_facade(datetime),
            "arguments": dict(arguments),
            "secrets": _types.MappingProxyType({str(k): str(v) for k, v in (job.get("secrets") or {}).items()}),
        }
        del job, job_json
        try:
            exec(compiled, namespace)
            main = namespace.get("main")
            if not callable(main):
                return error("invalid_code", "the tool defines no main() function")
            result = main(**arguments)
        except BaseException as exc:
            return describe(exc)
        if type(result).__name__ != "coroutine":
            return finish(result)
        current["coro"] = result
        return step(None)

    def resume(response_json):
        if current["coro"] is None:
            return error("crashed", "no tool call is waiting")
        return step(_json.loads(response_json))

    return start, resume


_swb_start, _swb_resume = _make_driver()


def _swb_flush():
    _sys.stdout.flush()
    _sys.stderr.flush()
del _make_driver
