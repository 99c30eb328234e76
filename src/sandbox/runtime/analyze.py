# Static analysis of tool code, run inside the sandbox because it parses untrusted input: `validate`
# (size, syntax, the `main` contract, imports, introspection) and the input schema derived from
# `main`'s signature and docstring. Nothing here executes the tool. Loaded after guard.py.

_SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Params|Returns?|Yields?|Raises|Examples?|Notes?|See Also)\s*:?\s*$", re.I)
_GOOGLE_PARAM = re.compile(r"^\s*\*{0,2}([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_NUMPY_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+:\s*(.*)$")
_REST_PARAM = re.compile(r"^\s*:param\s+(?:[^:]+\s)?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$")

_SIMPLE = {
    "str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"}, "bool": {"type": "boolean"},
    "bytes": {"type": "string"}, "list": {"type": "array"}, "List": {"type": "array"}, "tuple": {"type": "array"},
    "Tuple": {"type": "array"}, "set": {"type": "array", "uniqueItems": True}, "Set": {"type": "array", "uniqueItems": True},
    "frozenset": {"type": "array", "uniqueItems": True}, "Sequence": {"type": "array"}, "Iterable": {"type": "array"},
    "dict": {"type": "object"}, "Dict": {"type": "object"}, "Mapping": {"type": "object"}, "Any": {}, "object": {},
    "None": {"type": "null"}, "NoneType": {"type": "null"}, "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"}, "time": {"type": "string", "format": "time"},
    "Decimal": {"type": "string"}, "UUID": {"type": "string", "format": "uuid"},
}
_ARRAYS = {"list", "List", "Sequence", "Iterable", "set", "Set", "frozenset", "FrozenSet", "MutableSequence", "Collection"}
_MAPS = {"dict", "Dict", "Mapping", "MutableMapping"}


def _name_of(node):
    if isinstance(node, _ast.Name):
        return node.id
    if isinstance(node, _ast.Attribute):
        return node.attr
    return None


def _merge_union(options):
    flat = []
    for option in options:
        flat.extend(option["anyOf"] if set(option) == {"anyOf"} else [option])
    simple = [o for o in flat if set(o) == {"type"} and isinstance(o["type"], str)]
    if len(simple) == len(flat):
        types = []
        for o in simple:
            if o["type"] not in types:
                types.append(o["type"])
        return {"type": types[0] if len(types) == 1 else types}
    return {"anyOf": flat}


def _schema_of(node, depth=0):
    """JSON Schema for one annotation AST node; unknown annotations become {} (any value)."""
    if node is None or depth > 20:
        return {}
    if isinstance(node, _ast.Constant):
        if node.value is None:
            return {"type": "null"}
        if isinstance(node.value, str):
            try:
                return _schema_of(_ast.parse(node.value, mode="eval").body, depth + 1)
            except SyntaxError:
                return {}
        return {}
    if isinstance(node, _ast.BinOp) and isinstance(node.op, _ast.BitOr):
        return _merge_union([_schema_of(node.left, depth + 1), _schema_of(node.right, depth + 1)])
    name = _name_of(node)
    if name is not None:
        return dict(_SIMPLE.get(name, {}))
    if not isinstance(node, _ast.Subscript):
        return {}
    base = _name_of(node.value)
    args = list(node.slice.elts) if isinstance(node.slice, _ast.Tuple) else [node.slice]
    if base == "Optional":
        return _merge_union([_schema_of(args[0], depth + 1), {"type": "null"}])
    if base == "Union":
        return _merge_union([_schema_of(a, depth + 1) for a in args])
    if base == "Literal":
        values = [a.value for a in args if isinstance(a, _ast.Constant)]
        kinds = {type(v) for v in values}
        schema = {"enum": values}
        mapping = {str: "string", int: "integer", float: "number", bool: "boolean"}
        if len(kinds) == 1 and next(iter(kinds)) in mapping:
            schema = {"type": mapping[next(iter(kinds))], "enum": values}
        return schema
    if base == "Annotated":
        schema = _schema_of(args[0], depth + 1)
        texts = [a.value for a in args[1:] if isinstance(a, _ast.Constant) and isinstance(a.value, str)]
        if texts:
            schema["description"] = texts[0]
        return schema
    if base in _ARRAYS:
        schema = dict(_SIMPLE.get(base, {"type": "array"}))
        items = _schema_of(args[0], depth + 1)
        if items:
            schema["items"] = items
        return schema
    if base in ("tuple", "Tuple"):
        if len(args) == 2 and isinstance(args[1], _ast.Constant) and args[1].value is Ellipsis:
            items = _schema_of(args[0], depth + 1)
            return {"type": "array", **({"items": items} if items else {})}
        return {"type": "array", "prefixItems": [_schema_of(a, depth + 1) for a in args], "minItems": len(args), "maxItems": len(args)}
    if base in _MAPS:
        values = _schema_of(args[1], depth + 1) if len(args) > 1 else {}
        return {"type": "object", **({"additionalProperties": values} if values else {})}
    return {}


def _parse_docstring(doc):
    """(description, {param: text}) from Google, NumPy or reST style docstrings."""
    if not doc:
        return "", {}
    lines = doc.expandtabs().splitlines()
    description, params = [], {}
    section, current, indent = None, None, None
    i = 0
    while i < len(lines):
        line = lines[i]
        rest = _REST_PARAM.match(line)
        if rest:
            current = rest.group(1)
            params[current] = rest.group(2).strip()
            section = "rest"
            i += 1
            continue
        header = _SECTION.match(line)
        underline = i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"} and line.strip()
        if header or underline:
            section = (header.group(1) if header else line.strip()).lower()
            current = None
            i += 2 if underline else 1
            continue
        if section is None:
            if not line.strip().startswith(":"):
                description.append(line)
        elif section in ("args", "arguments", "parameters", "params"):
            stripped = line.strip()
            if not stripped:
                current = None
            else:
                lead = len(line) - len(line.lstrip())
                match = _NUMPY_PARAM.match(stripped) or _GOOGLE_PARAM.match(line)
                if match and (indent is None or lead <= indent):
                    indent = lead
                    current = match.group(1)
                    text = match.group(3) if match.re is _GOOGLE_PARAM else ""
                    params[current] = text.strip()
                elif current is not None:
                    params[current] = (params[current] + " " + stripped).strip()
        elif section == "rest" and current is not None and line.strip():
            params[current] = (params[current] + " " + line.strip()).strip()
        i += 1
    text = "\n".join(description).strip()
    return text, params


def _docstring(fn):
    """inspect.cleandoc without inspect (which the guard removes)."""
    first = fn.body[0] if fn.body else None
    if not (isinstance(first, _ast.Expr) and isinstance(first.value, _ast.Constant) and isinstance(first.value.value, str)):
        return ""
    lines = first.value.value.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents) if indents else 0
    lines = [lines[0].strip()] + [line[margin:].rstrip() for line in lines[1:]]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _default_of(node):
    try:
        value = _ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None
    try:
        return True, json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return False, None


def input_schema(fn):
    """The tool's description and input schema from `main`'s signature and docstring."""
    description, texts = _parse_docstring(_docstring(fn))
    a = fn.args
    positional = list(a.posonlyargs) + list(a.args)
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    pairs = list(zip(positional, defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
    properties, required = {}, []
    for arg, default in pairs:
        if arg.arg in ("self", "cls"):
            continue
        schema = _schema_of(arg.annotation)
        if arg.arg in texts and texts[arg.arg]:
            schema["description"] = texts[arg.arg]
        if default is None:
            required.append(arg.arg)
        else:
            ok, value = _default_of(default)
            if ok:
                schema["default"] = value
        properties[arg.arg] = schema
    schema = {"type": "object", "properties": properties, "additionalProperties": a.kwarg is not None}
    if required:
        schema["required"] = required
    return description, schema


def _analyze(request):
    code = request.get("code")
    allowed = frozenset(request.get("allowedModules") or [])
    max_bytes = int(request.get("maxCodeBytes") or 102_400)
    errors, warnings = [], []

    def problem(target, kind, message, line=None, col=None):
        entry = {"kind": kind, "message": message}
        if line is not None:
            entry["line"], entry["col"] = line, col or 0
        target.append(entry)

    if not isinstance(code, str) or not code.strip():
        problem(errors, "syntax", "the code is empty")
        return {"valid": False, "errors": errors, "warnings": warnings, "imports": []}
    size = len(code.encode("utf-8"))
    if size > max_bytes:
        problem(errors, "size", f"the code is {size} bytes; the limit is {max_bytes}")
        return {"valid": False, "errors": errors, "warnings": warnings, "imports": []}
    try:
        tree = _ast.parse(code, "<tool>", "exec")
    except SyntaxError as exc:
        problem(errors, "syntax", f"SyntaxError: {exc.msg}", exc.lineno, (exc.offset or 1) - 1)
        return {"valid": False, "errors": errors, "warnings": warnings, "imports": []}
    except (MemoryError, RecursionError):
        problem(errors, "syntax", "the code is nested too deeply to parse")
        return {"valid": False, "errors": errors, "warnings": warnings, "imports": []}
    imports = []
    for node in _ast.walk(tree):
        names = []
        if isinstance(node, _ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, _ast.ImportFrom):
            if node.level:
                problem(errors, "forbidden_import", "relative imports are not available in tools", node.lineno, node.col_offset)
                continue
            names = [node.module or ""]
        for name in names:
            if name not in imports:
                imports.append(name)
            if name.split(".")[0] in ALWAYS_FORBIDDEN or name in ALWAYS_FORBIDDEN:
                problem(errors, "forbidden_import", f"module '{name}' is always forbidden in tools", node.lineno, node.col_offset)
            elif not module_allowed(name, allowed):
                problem(errors, "forbidden_import", f"module '{name}' is not in this deployment's module whitelist (request it)", node.lineno, node.col_offset)
    for line, col, message in find_violations(tree, strict=True):
        problem(errors, "forbidden", message, line, col)
    mains = [n for n in tree.body if isinstance(n, (_ast.AsyncFunctionDef, _ast.FunctionDef)) and n.name == "main"]
    result = {"imports": imports}
    if not mains:
        problem(errors, "contract", "the code must define a top-level `async def main(...)`")
    else:
        fn = mains[-1]
        if isinstance(fn, _ast.FunctionDef):
            problem(warnings, "contract", "main() should be `async def`; a plain function works but cannot await http", fn.lineno, fn.col_offset)
        if fn.args.vararg is not None:
            problem(warnings, "contract", "*args cannot be passed by MCP clients; it is ignored in the schema", fn.lineno, fn.col_offset)
        description, schema = input_schema(fn)
        result["description"], result["inputSchema"] = description, schema
        if not description:
            problem(warnings, "contract", "main() has no docstring; the tool will have no description", fn.lineno, fn.col_offset)
    result.update({"valid": not errors, "errors": errors[:50], "warnings": warnings[:50]})
    return result


def _swb_analyze(request_json):
    with _swb_trusted():
        try:
            return json.dumps(_analyze(json.loads(request_json)))
        except (MemoryError, RecursionError) as exc:
            return json.dumps({"valid": False, "errors": [{"kind": "syntax", "message": f"the code is too complex to analyse ({type(exc).__name__})"}], "warnings": [], "imports": []})
