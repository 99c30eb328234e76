# The Python-level layer of the sandbox: what tool code can name, import and do inside the interpreter.
#
# Loaded by runner.mjs into a fresh interpreter before any tool code, then armed once. It is one layer
# of several (the process, Node's permission model and the network namespace hold even if this one
# is bypassed), so it aims at closing every known route rather than at being a complete jail:
#   - an AST check refuses introspection (dunder attributes, frame/code/generator internals and the
#     builtins that reach them) in tool code and in every string compiled at run time;
#   - the JS bridge, ctypes, sockets, processes and the OS modules are removed from sys.modules and
#     refused by a finder placed first on sys.meta_path, for every importer;
#   - tool code imports through a guard that returns read-only facades of whitelisted modules, which
#     never hand out other modules as attributes (json.codecs.sys, typing.sys, uuid.os);
#   - an audit hook (which cannot be removed once added) refuses file, process, socket, ctypes, frame
#     and gc operations whatever object graph led to them.
# Nothing here ever receives a JavaScript object: the runner passes JSON strings only.

import ast as _ast
import builtins as _builtins_module
import sys as _sys
import types as _types

# Imported now so tool code never needs a lazy import of something the guard refuses later.
import json, base64, binascii, html, datetime, calendar, math, cmath, decimal, fractions, statistics  # noqa: E401,F401
import re, string, textwrap, difflib, urllib.parse, collections, collections.abc, itertools  # noqa: E401,F401
import functools, typing, dataclasses, enum, uuid, copy, hashlib, hmac, traceback  # noqa: E401,F401
try:
    import zoneinfo  # noqa: F401
except Exception:  # pragma: no cover - zoneinfo without tz data is still importable; be safe
    pass

# Never importable by anyone once armed, and removed from sys.modules: the JS bridge, native escape
# hatches, processes, sockets and the OS.
_HARD_REMOVED = frozenset({
    "js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "micropip",
    "ctypes", "_ctypes", "cffi",
    "socket", "_socket", "select", "selectors", "ssl", "_ssl", "asyncio",
    "subprocess", "_posixsubprocess", "multiprocessing", "_multiprocessing", "concurrent",
    "os", "posix", "nt", "_os", "pathlib", "shutil", "tempfile", "glob", "io", "_io", "fcntl", "mmap",
    "resource", "pty", "tty", "termios", "signal", "_signal", "threading", "_thread",
    "pickle", "_pickle", "marshal", "shelve", "dbm", "sqlite3", "_sqlite3",
    "inspect", "gc", "code", "codeop", "pdb", "bdb", "trace", "tracemalloc", "faulthandler",
    "importlib", "zipimport", "pkgutil", "runpy", "site", "sysconfig",
    "urllib.request", "http", "ftplib", "smtplib", "poplib", "imaplib", "webbrowser", "xmlrpc",
})
# Refused to tool code whatever an admin whitelists (the "always forbidden" list and more).
ALWAYS_FORBIDDEN = _HARD_REMOVED | frozenset({"sys", "builtins", "types", "_ast", "ast", "operator", "weakref", "warnings"})

# Builtins tool code does not get: each reaches the interpreter's internals or the host.
DENIED_BUILTINS = frozenset({
    "getattr", "setattr", "delattr", "vars", "globals", "locals", "eval", "exec", "compile", "breakpoint",
    "open", "input", "help", "exit", "quit", "memoryview", "__import__", "__build_class__", "__loader__",
    "__spec__", "copyright", "credits", "license",
})
# Attribute names that lead from any object to frames, code, globals or the class graph.
_INTERNAL_PREFIXES = ("gi_", "cr_", "ag_", "f_", "tb_", "co_")
_INTERNAL_ATTRS = frozenset({"cell_contents", "mro", "format_map", "__dict__"})
# Dunder attributes tool code may use (object protocol in its own classes).
_ALLOWED_DUNDERS = frozenset({"__init__", "__name__", "__doc__", "__str__", "__repr__", "__eq__", "__hash__",
                              "__len__", "__iter__", "__next__", "__contains__", "__post_init__", "__enter__", "__exit__"})
# Dunders that stay refused even in code the standard library generates at run time.
_RUNTIME_DENIED = frozenset({
    "__subclasses__", "__globals__", "__builtins__", "__code__", "__closure__", "__getattribute__", "__base__",
    "__bases__", "__mro__", "__loader__", "__spec__", "__self__", "__func__", "__reduce__", "__reduce_ex__",
    "__traceback__", "__context__", "__cause__", "__import__", "__class_getitem__", "__subclasshook__", "__init_subclass__",
    "__objclass__", "__wrapped__", "__dict__", "__getstate__", "__setstate__", "__set_name__",
})


class SandboxViolation(PermissionError):
    """Raised when tool code tries something the sandbox refuses."""


class ForbiddenImport(ImportError):
    """Raised when tool code imports a module outside the whitelist."""


def _is_internal_attr(name, strict):
    if name in _RUNTIME_DENIED or name.startswith(_INTERNAL_PREFIXES) or name in _INTERNAL_ATTRS:
        return True
    if strict and name.startswith("__") and name.endswith("__") and name not in _ALLOWED_DUNDERS:
        return True
    return False


def _is_internal_name(name, strict):
    if name in ("__builtins__", "__import__", "__loader__", "__spec__", "__class__", "__dict__"):
        return True
    if strict and (name in DENIED_BUILTINS or (name.startswith("__") and name.endswith("__") and name not in ("__name__", "__doc__"))):
        return True
    return False


def find_violations(tree, strict=True, limit=20):
    """Introspection in an AST: a list of (line, col, message). `strict` is for tool code; run-time
    compiled strings get the narrower `_RUNTIME_DENIED` list so the standard library keeps working."""
    found = []
    for node in _ast.walk(tree):
        name = None
        if isinstance(node, _ast.Attribute) and _is_internal_attr(node.attr, strict):
            name = "." + node.attr
        elif isinstance(node, _ast.Name) and _is_internal_name(node.id, strict):
            name = node.id
        elif isinstance(node, (_ast.Import, _ast.ImportFrom)) and not strict:
            name = "import"
        if name is not None:
            found.append((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), f"'{name}' is not available in tools (it reaches the interpreter's internals)"))
            if len(found) >= limit:
                break
    return found


def module_allowed(name, allowed):
    """A dotted module name is allowed when it or one of its parents is whitelisted and none of its
    parts is always forbidden."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        if ".".join(parts[:i]) in ALWAYS_FORBIDDEN:
            return False
    return any(".".join(parts[:i]) in allowed for i in range(1, len(parts) + 1))


def _make_guard():
    state = {"armed": False, "trusted": 0, "in_hook": False, "allowed": frozenset(), "read_prefixes": ()}
    real_import = _builtins_module.__import__
    real_compile = _builtins_module.compile
    getframe = _sys._getframe
    facades = {}

    deny_prefixes = ("os.", "subprocess.", "socket.", "ctypes.", "shutil.", "tempfile.", "glob.", "webbrowser.",
                     "http.client.", "ftplib.", "smtplib.", "poplib.", "imaplib.", "nntplib.", "telnetlib.", "mmap.",
                     "resource.", "fcntl.", "pty.", "syslog.", "sqlite3.", "cpython.", "sys.monitoring.", "_winapi.", "winreg.")
    deny_events = frozenset({
        "sys._getframe", "sys._current_frames", "sys._current_exceptions", "sys.settrace", "sys.setprofile",
        "sys._setprofileallthreads", "sys._settraceallthreads", "sys.addaudithook", "sys.remote_exec", "sys.set_asyncgen_hooks",
        "gc.get_objects", "gc.get_referrers", "gc.get_referents", "gc.freeze", "object.__getattr__", "code.__new__",
        "function.__new__", "builtins.input", "builtins.input/result", "builtins.breakpoint", "pickle.find_class",
        "urllib.Request", "marshal.dumps", "marshal.load", "array.__new__/unsafe", "_thread.start_new_thread",
    })

    def importlib_caller():
        # The compile/open events of the import machinery itself (lazy stdlib imports) stay allowed.
        frame = getframe(2)
        for _ in range(8):
            if frame is None:
                return False
            filename = frame.f_code.co_filename
            if filename.startswith("<frozen "):
                return True
            if filename == "<tool>":
                return False
            frame = frame.f_back
        return False

    def check_compile(source):
        if source is None:
            raise SandboxViolation("compiling an AST object is not available in tools")
        if isinstance(source, (bytes, bytearray)):
            source = bytes(source).decode("utf-8", "replace")
        try:
            tree = real_compile(source, "<runtime>", "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
        except SyntaxError:
            return  # The real compile fails the same way.
        if find_violations(tree, strict=False, limit=1):
            raise SandboxViolation("run-time code that reaches the interpreter's internals is refused")

    def hook(event, args):
        if not state["armed"] or state["trusted"] or state["in_hook"]:
            return
        state["in_hook"] = True
        try:
            if event in deny_events or event.startswith(deny_prefixes):
                raise SandboxViolation(f"operation '{event}' is not available in tools")
            if event == "import":
                top = str(args[0]).split(".")[0]
                if top in _HARD_REMOVED or str(args[0]) in _HARD_REMOVED:
                    raise ForbiddenImport(f"module '{args[0]}' is not available in tools")
            elif event == "open":
                path, mode = args[0], args[1]
                read_only = mode is None or (isinstance(mode, str) and not any(c in mode for c in "wax+"))
                if not (read_only and isinstance(path, str) and path.startswith(state["read_prefixes"]) and importlib_caller()):
                    raise SandboxViolation("files are not available in tools")
            elif event == "compile":
                if not importlib_caller():
                    check_compile(args[0])
        finally:
            state["in_hook"] = False

    def facade(module):
        key = module.__name__
        if key in facades:
            return facades[key]
        view = _types.ModuleType(key, getattr(module, "__doc__", None))
        facades[key] = view
        for attr in dir(module):
            if attr.startswith("_"):
                continue
            try:
                value = getattr(module, attr)
            except AttributeError:
                continue
            if isinstance(value, _types.ModuleType):
                sub = getattr(value, "__name__", "")
                if sub.startswith(key + ".") and module_allowed(sub, state["allowed"]):
                    setattr(view, attr, facade(value))
                continue
            setattr(view, attr, value)
        if key == "string":
            view.Formatter = _SafeFormatter
        return view

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise ForbiddenImport("relative imports are not available in tools")
        if type(fromlist) is list and not fromlist and isinstance(name, str):
            # C code importing for its own use (PyImport_Import passes an empty *list*; the import
            # statement passes None or a tuple): e.g. datetime.date.today() imports `time` lazily. C reads
            # the module from sys.modules and drops what __import__ returns, so the import is done for it
            # and nothing is handed back to tool code. Removed modules stay removed.
            if name.split(".")[0] in _HARD_REMOVED or name in _HARD_REMOVED:
                raise ForbiddenImport(f"module '{name}' is not available in tools")
            state["trusted"] += 1
            try:
                real_import(name, None, None, (), 0)
            finally:
                state["trusted"] -= 1
            return None
        if not isinstance(name, str) or not module_allowed(name, state["allowed"]):
            raise ForbiddenImport(f"module '{name}' is not in this deployment's module whitelist")
        state["trusted"] += 1
        try:
            real_import(name, None, None, (), 0)
            target = _sys.modules[name]
        finally:
            state["trusted"] -= 1
        if fromlist:
            return facade(target)
        top = name.split(".")[0]
        if module_allowed(top, state["allowed"]):
            return facade(_sys.modules[top])
        # `import urllib.parse` binds `urllib`: a facade holding only the whitelisted path.
        root = _types.ModuleType(top)
        node, parts = root, name.split(".")
        for i in range(1, len(parts)):
            full = ".".join(parts[: i + 1])
            child = facade(_sys.modules[full]) if i == len(parts) - 1 else _types.ModuleType(full)
            setattr(node, parts[i], child)
            node = child
        return root

    class _Refuser:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if state["armed"] and (name.split(".")[0] in _HARD_REMOVED or name in _HARD_REMOVED):
                raise ModuleNotFoundError(f"module '{name}' is not available in tools")
            return None

    def restricted_builtins():
        table = {k: v for k, v in vars(_builtins_module).items() if k not in DENIED_BUILTINS and not k.startswith("_")}
        table["__import__"] = guarded_import
        table["__build_class__"] = _builtins_module.__build_class__
        table["__name__"] = "builtins"
        return table

    def arm(allowed, read_prefixes):
        """Remove the forbidden modules, install the finder and the audit hook, fix the whitelist."""
        state["allowed"] = frozenset(m for m in allowed if isinstance(m, str) and m not in ALWAYS_FORBIDDEN)
        facades.clear()
        state["read_prefixes"] = tuple(read_prefixes)
        if not state["armed"]:
            for name in list(_sys.modules):
                if name.split(".")[0] in _HARD_REMOVED or name in _HARD_REMOVED:
                    del _sys.modules[name]
            _sys.meta_path[:] = [f for f in _sys.meta_path if type(f).__module__.split(".")[0] not in ("_pyodide", "pyodide")]
            _sys.meta_path.insert(0, _Refuser)
            _sys.addaudithook(hook)
            state["armed"] = True

    class Trusted:
        """Host-side steps (compiling the tool, reading a traceback) that the hook must let through."""
        def __enter__(self):
            state["trusted"] += 1

        def __exit__(self, *exc):
            state["trusted"] -= 1
            return False

    return arm, restricted_builtins, facade, Trusted, lambda: state["allowed"]


class _SafeFormatter(string.Formatter):
    """string.Formatter resolves dotted field names with getattr; refuse the internal ones."""

    def get_field(self, field_name, args, kwargs):
        for part in re.split(r"[.\[]", field_name):
            if _is_internal_attr(part.rstrip("]"), True) or part.startswith("_"):
                raise SandboxViolation("format fields may not reach internal attributes")
        return super().get_field(field_name, args, kwargs)


_swb_arm, _swb_builtins, _swb_facade, _swb_trusted, _swb_allowed = _make_guard()
del _make_guard
