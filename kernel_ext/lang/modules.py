"""Modules: `module M { ... }`, `import M`, `import opened M`, `import X = A.B`, and names
qualified by a module (`M.F(x)`, `M.List<int>`, `M.Nil`), flattened away after parsing.

`flatten(Program) -> Program` gives the flat program the rest of the pipeline reads: each
declaration of a module under its qualified name, as Dafny prints it (`M.F`, `A.B.Sum`; the
file's top level keeps bare names), every reference rewritten to that name, spans unchanged.
A constructor keeps its own name in its datatype (values print as `Nil`); the resolver knows
it by its module's qualifier (`M.Nil`, `ctor_key`). Dafny's name rules:

- inside a module, its own declarations and nested modules are visible unqualified, nothing of
  the enclosing module is;
- an imported module's declarations only through its name (or alias), unless `import opened`;
  a module's own declaration wins over an opened one, and a name that two opened modules
  declare is ambiguous;
- an import's first name is one of the module's own nested modules or imports, or a module
  declared beside it or beside an enclosing module; the rest names nested modules.

A `case` pattern names a constructor of the matched value's datatype, so it is never
qualified (Dafny does not allow `case M.Nil`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import (
    DUPLICATE_NAME,
    UNKNOWN_NAME,
    Diagnostic,
    DiagnosticCode,
    DiagnosticError,
)
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import BUILTIN_TYPES, GENERIC_TYPES

# ------------------------------------------------------------------ syntax of modules


@dataclass(frozen=True, kw_only=True)
class QualifiedName:
    """`A.B.C` where a type or an import names something (only inside the parser)."""

    span: Span
    name: str


@dataclass(frozen=True, kw_only=True)
class ModuleDecl(ast.Decl):
    """`module M { decls }`: present only between the parser and `flatten`."""

    decls: tuple[ast.Decl, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Import(ast.Decl):
    """`import [opened] [name =] path`: `name` is the alias, else the path's last part."""

    path: str = ""
    opened: bool = False


def qualify(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def qualifier(name: str) -> str:
    """The module part of a qualified name (`A.B` of `A.B.F`; "" for a bare name)."""
    return name.rpartition(".")[0]


def ctor_key(datatype: str, ctor: str) -> str:
    """How the resolver knows a constructor: qualified by its datatype's module."""
    return qualify(qualifier(datatype), ctor)


def item_key(decl: ast.Decl) -> str:
    """What a top-level item of a text is known by, before flattening (a notebook cell's)."""
    match decl:
        case ModuleDecl():
            return f"module {decl.name}"
        case Import():
            return f"import {decl.name}"
        case _:
            return decl.name


def declared_names(program: ast.Program) -> set[str]:
    """The keys of a text's top-level items (`item_key`) and the flat name of every declaration
    in them (`M.F`), read before flattening: no import needs to resolve."""
    names = {item_key(decl) for decl in program.decls}

    def inside(decls: tuple[ast.Decl, ...], path: str) -> None:
        for decl in decls:
            if isinstance(decl, ModuleDecl):
                inside(decl.decls, qualify(path, decl.name))
            elif not isinstance(decl, Import):
                names.add(qualify(path, decl.name))

    inside(program.decls, "")
    return names


def dotted(expr: ast.Expr) -> str | None:
    """`A.B.C` when the expression is a chain of names, else None."""
    match expr:
        case ast.Name():
            return expr.name
        case ast.Member():
            inner = dotted(expr.obj)
            return None if inner is None else f"{inner}.{expr.name}"
        case _:
            return None


# ------------------------------------------------------------------ the modules of a program


@dataclass(eq=False)
class _Module:
    path: str  # "" for the file's top level
    parent: _Module | None
    children: dict[str, _Module] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # functions, methods, constructors
    datatypes: dict[str, str] = field(default_factory=dict)
    ctors_of: dict[str, dict[str, str]] = field(default_factory=dict)  # datatype -> its ctors
    imports: dict[str, tuple[_Module, bool]] = field(default_factory=dict)  # name -> module, opened
    import_decls: list[Import] = field(default_factory=list)
    name_span: Span | None = None  # of its declaration (none for the file's top level)

    def describe(self) -> str:
        return self.path or "_module"


def flatten(program: ast.Program) -> ast.Program:
    """The program without modules; raises DiagnosticError for names that do not resolve."""
    flattener = _Flattener()
    root = flattener.build(program.decls, "", None)
    flattener.resolve_imports(root)
    flattener.check_cycles(root)
    decls = flattener.decls(program.decls, root)
    if flattener.errors:
        unique = list(dict.fromkeys(flattener.errors))
        raise DiagnosticError(sorted(unique, key=lambda d: (d.span.start_line, d.span.start_col)))
    return dataclasses.replace(program, decls=tuple(decls))


class _Flattener:
    def __init__(self) -> None:
        self.errors: list[Diagnostic] = []
        self.root: _Module | None = None
        self.ctor_names: frozenset[str] = frozenset()  # of every datatype of the program

    def error(self, span: Span, message: str, code: DiagnosticCode = UNKNOWN_NAME, hint: str = "") -> None:
        self.errors.append(Diagnostic(code, span, message, hint))

    # ---- the tree of modules and what each declares

    def build(self, decls: tuple[ast.Decl, ...], path: str, parent: _Module | None) -> _Module:
        module = _Module(path, parent)
        self.root = self.root or module
        for decl in decls:
            match decl:
                case ModuleDecl():
                    if decl.name in module.children:
                        self.error(decl.name_span, f"Duplicate module name: {decl.name}", DUPLICATE_NAME)
                    else:
                        child = self.build(decl.decls, qualify(path, decl.name), module)
                        child.name_span = decl.name_span
                        module.children[decl.name] = child
                case Import():
                    module.import_decls.append(decl)
                case ast.Datatype():
                    module.datatypes[decl.name] = qualify(path, decl.name)
                    ctors = {ctor.name: qualify(path, ctor.name) for ctor in decl.ctors}
                    module.ctors_of[decl.name] = ctors
                    self.ctor_names |= ctors.keys()
                    for name, key in ctors.items():
                        module.members.setdefault(name, key)
                case ast.Method() | ast.Function():
                    module.members[decl.name] = qualify(path, decl.name)
                case ast.TypeSynonym() | ast.SubsetType():
                    module.datatypes[decl.name] = qualify(path, decl.name)  # the module's types
                case _:
                    raise TypeError(f"no module rule for the declaration kind {type(decl).__name__}")
        return module

    def resolve_imports(self, module: _Module) -> None:
        for decl in module.import_decls:
            if decl.name in module.children:
                message = f"Import declaration uses same name as a module in the same scope: {decl.name}"
                self.error(decl.name_span, message, DUPLICATE_NAME)
                continue
            target = self.import_target(module, decl)
            if target is not None:
                module.imports[decl.name] = (target, decl.opened)
        for child in module.children.values():
            self.resolve_imports(child)

    def import_target(self, module: _Module, decl: Import) -> _Module | None:
        first, *rest = decl.path.split(".")
        target = self.visible_module(module, first, outward=True)
        position = 0
        for part in rest:
            if target is None:
                break
            position += 1
            target = target.children.get(part)
        if target is None:
            where = f" (position {position} in path {decl.path})" if rest else ""
            missing = decl.path.split(".")[position]
            self.error(decl.name_span, f"module {missing} does not exist{where}")
        return target

    def check_cycles(self, root: _Module) -> None:
        """Dafny's rule: a module depends on its nested modules and on the first module of each
        import's path, and these dependencies may not form a cycle. One error, at the first module of the first
        cycle found, in source order."""
        done: set[int] = set()

        def visit(module: _Module, via: str, path: list[tuple[_Module, str]]) -> bool:
            on_path = [id(step) for step, _ in path]
            if id(module) in on_path:
                cycle = path[on_path.index(id(module)) :] + [(module, via)]
                self.error(cycle[0][0].name_span or Span.point(1, 1), _cycle_message(cycle))
                return True
            if id(module) in done:
                return False
            done.add(id(module))
            here = [*path, (module, via)]
            edges = [(child, "") for child in module.children.values()]
            for decl in module.import_decls:  # `import A.X` depends on A, as in Dafny
                first = self.visible_module(module, decl.path.split(".")[0], outward=True)
                edges += [(first, decl.name)] if first is not None else []
            return any(visit(target, alias, here) for target, alias in edges)

        any(visit(child, "", []) for child in root.children.values())

    @staticmethod
    def visible_module(module: _Module, name: str, outward: bool = False) -> _Module | None:
        """A module that `name` means inside `module`: one of its nested modules or imports (for
        an import's first name, also a module beside it or beside an enclosing module)."""
        if name in module.children:
            return module.children[name]
        if name in module.imports:
            return module.imports[name][0]
        for imported, opened in module.imports.values():
            if opened and name in imported.children:
                return imported.children[name]
        scope = module.parent if outward else None
        while scope is not None:
            if name in scope.children:
                return scope.children[name]
            scope = scope.parent
        return None

    # ---- the flat declarations

    def decls(self, decls: tuple[ast.Decl, ...], module: _Module) -> list[ast.Decl]:
        flat: list[ast.Decl] = []
        for decl in decls:
            match decl:
                case ModuleDecl():
                    if module.children.get(decl.name) is not None:
                        flat += self.decls(decl.decls, module.children[decl.name])
                case Import():
                    pass
                case _:
                    scope = _Scope(
                        self,
                        module,
                        _binders(decl, self.ctor_names),
                        frozenset(getattr(decl, "type_params", ())),
                    )
                    renamed = scope.node(decl)
                    flat.append(dataclasses.replace(renamed, name=qualify(module.path, decl.name)))
        return flat


def _binders(decl: ast.Decl, ctors: frozenset[str]) -> frozenset[str]:
    """Every name the declaration binds anywhere (parameters, locals, bound and pattern
    variables): where it is used, it may be a variable, which hides a declaration. A pattern's
    name without arguments is a variable unless some datatype has a constructor of that name."""
    names: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, tuple):
            for item in value:
                visit(item)
            return
        if not _is_node(value):
            return
        if isinstance(value, ast.Param | ast.LocalVar | ast.BoundVar):
            names.add(value.name)
        if isinstance(value, ast.Pattern) and value.args is None and value.name not in ctors:
            names.add(value.name)
        for item in dataclasses.fields(value):
            visit(getattr(value, item.name))

    visit(decl)
    return frozenset(names)


def _is_node(value: object) -> bool:
    return dataclasses.is_dataclass(value) and type(value).__module__ in (ast.__name__, __name__)


@dataclass
class _Scope:
    """Rewrites the names of one declaration of `module` to the flat program's."""

    flattener: _Flattener
    module: _Module
    binders: frozenset[str]
    type_params: frozenset[str]

    def node(self, value):
        if isinstance(value, tuple):
            items = tuple(self.node(item) for item in value)
            return value if all(new is old for new, old in zip(items, value, strict=True)) else items
        if not _is_node(value) or isinstance(value, ast.Pattern):
            return value
        match value:
            case ast.Call() if (named := self.datatype_qualified(value.name)) is not None:
                return self.qualified_construct(value, *named)
            case ast.Call():
                value = dataclasses.replace(value, name=self.callee(value.name, value.name_span))
            case ast.Name() if value.name not in self.binders:
                return dataclasses.replace(value, name=self.member(value.name, value.span))
            case ast.Member() if (
                self.is_qualified(value)
                and (named := self.datatype_qualified(dotted(value) or "")) is not None
            ):
                call = ast.Call(span=value.span, name=value.name, args=(), name_span=value.name_span)
                return self.qualified_construct(call, *named)
            case ast.Member() if self.is_qualified(value):
                return ast.Name(span=value.span, name=self.path(dotted(value) or "", value.name_span))
            case ast.TypeRef():
                value = dataclasses.replace(value, name=self.type_name(value))
        changes = {}
        for item in dataclasses.fields(value):
            old = getattr(value, item.name)
            new = self.node(old)
            if new is not old:
                changes[item.name] = new
        return dataclasses.replace(value, **changes) if changes else value

    def error(self, span: Span, message: str) -> str:
        self.flattener.error(span, message)
        return "?"

    def datatype_qualified(self, name: str) -> tuple[str, str] | None:
        """`D.C` or `A.D.C`, a constructor named with its datatype: the datatype's flat name and
        the constructor's own name; None for any other name."""
        if "." not in name:
            return None
        *modules, datatype, ctor = name.split(".")
        if not modules and datatype in self.binders:
            return None
        holders = [self.module, *self.opened_modules()]
        for position, part in enumerate(modules):
            found = (
                self.flattener.visible_module(holders[0], part)
                if position == 0
                else holders[0].children.get(part)
            )
            if found is None:
                return None
            holders = [found]
        for holder in holders:  # a constructor it lacks is the resolver's to report
            if datatype in holder.ctors_of:
                return holder.datatypes[datatype], ctor
        return None

    def qualified_construct(self, call: ast.Call, datatype: str, ctor: str) -> ast.Call:
        """The call names the constructor with its datatype as qualifier, so that the resolver
        tells apart constructors of the same name (`A.Leaf`, `B.Leaf`)."""
        args = tuple(self.node(arg) for arg in call.args)
        start, name = call.span, call.name_span
        where = Span(
            start.start_line, start.start_col, name.start_line, max(start.start_col, name.start_col - 1)
        )
        qualifier = ast.TypeRef(span=where, name=datatype)
        return dataclasses.replace(call, name=ctor, args=args, qualifier=qualifier)

    # ---- the kinds of reference

    def callee(self, name: str, span: Span) -> str:
        if "." not in name:
            return self.member(name, span)
        first = name.split(".")[0]
        if first in self.binders:
            return self.error(
                span, f"calling `.{name.split('.')[-1]}(...)` on a value is not part of MiniDafny"
            )
        return self.path(name, span)

    def member(self, name: str, span: Span) -> str:
        """A bare name of a function, method, lemma or constructor."""
        own = self.module.members.get(name)
        if own is not None:
            return own
        opened = self.opened(lambda module: module.members.get(name))
        if len(opened) > 1:
            return self.ambiguous(name, span, opened)
        if opened:
            return next(iter(opened.values()))
        return self.not_visible(name, span)

    def type_name(self, ref: ast.TypeRef) -> str:
        name = ref.name
        if "." in name:
            return self.path(name, ref.span, types=True)
        if name in self.type_params or name in BUILTIN_TYPES or name in GENERIC_TYPES:
            return name
        own = self.module.datatypes.get(name)
        if own is not None:
            return own
        opened = self.opened(lambda module: module.datatypes.get(name))
        if len(opened) > 1:
            return self.ambiguous(name, ref.span, opened)
        if opened:
            return next(iter(opened.values()))
        return self.not_visible(name, ref.span, types=True)

    def path(self, name: str, span: Span, types: bool = False) -> str:
        """`A.B.F`: a module visible here, its nested modules, then a declaration of the last
        (or `A.D.C`, `D.C`: a constructor `C` qualified by its datatype `D`)."""
        *modules, last = name.split(".")
        target = self.module
        for position, part in enumerate(modules):
            found = (
                self.flattener.visible_module(target, part) if position == 0 else target.children.get(part)
            )
            if found is None:
                return self.datatype_ctor(target, modules[position:], last, span, types)
            target = found
        table = target.datatypes if types else target.members
        if last in table:
            return table[last]
        if types:
            return self.error(span, f"module '{target.describe()}' does not declare a type '{last}'")
        return self.error(span, f"unresolved identifier: {last}")

    def datatype_ctor(self, module: _Module, rest: list[str], ctor: str, span: Span, types: bool) -> str:
        """`D.C` (`D` declared in `module`, or opened here) or `A.D.C`."""
        if len(rest) == 1 and not types:
            around = [module] + (self.opened_modules() if module is self.module else [])
            for candidate in around:
                ctors = candidate.ctors_of.get(rest[0], {})
                if ctor in ctors:
                    return ctors[ctor]
        return self.error(span, f"unresolved identifier: {rest[0]}")

    # ---- lookups through opened imports

    @property
    def root(self) -> _Module:
        assert self.flattener.root is not None
        return self.flattener.root

    def opened_modules(self) -> list[_Module]:
        return [module for module, opened in self.module.imports.values() if opened]

    def opened(self, find) -> dict[str, str]:
        """What each opened module that declares the name means by it (module -> flat name),
        without the same declaration twice."""
        found: dict[str, str] = {}
        for module in self.opened_modules():
            meaning = find(module)
            if meaning and meaning not in found.values():
                found[module.describe()] = meaning
        return found

    def ambiguous(self, name: str, span: Span, opened: dict[str, str]) -> str:
        modules = ", ".join(opened)
        datatype = next((self.datatype_of(meaning) for meaning in opened.values()), None)
        if datatype is not None:
            return self.error(
                span,
                f"the name '{name}' denotes a datatype constructor, but does not do so uniquely; "
                f"add an explicit qualification (for example, '{datatype}.{name}')",
            )
        return self.error(
            span,
            f"The name {name} ambiguously refers to a static member in one of the modules {modules} "
            "(try qualifying the member name with the module name)",
        )

    def datatype_of(self, ctor: str) -> str | None:
        """The datatype (as written in its module) of a constructor's flat name, if it is one."""
        module = self.root
        for part in qualifier(ctor).split(".") if qualifier(ctor) else ():
            module = module.children[part]
        bare = ctor.rpartition(".")[2]
        return next((name for name, ctors in module.ctors_of.items() if ctors.get(bare) == ctor), None)

    def not_visible(self, name: str, span: Span, types: bool = False) -> str:
        """A name declared nowhere visible. Inside a module it is an error here (the flat
        program might find a declaration of the file's top level by that name), with the
        imported modules that declare it; at the top level the resolver reports it."""
        if self.module is self.root:
            return name
        holders = [
            f"{alias}.{name}"
            for alias, (module, _) in self.module.imports.items()
            if name in (module.datatypes if types else module.members)
        ]
        hint = f"Write {' or '.join(holders)}, or import its module with `import opened`." if holders else ""
        message = (
            f"Type or type parameter is not declared in this scope: {name}"
            if types
            else f"unresolved identifier: {name}"
        )
        self.flattener.error(span, message, hint=hint)
        return "?"

    def is_qualified(self, member: ast.Member) -> bool:
        """`M.C` or `A.B.C`: a chain of names whose first is a module or datatype, not a variable."""
        path = dotted(member)
        if path is None:
            return False
        first = path.split(".")[0]
        if first in self.binders:
            return False
        if self.flattener.visible_module(self.module, first) is not None:
            return True
        return any(first in module.ctors_of for module in [self.module, *self.opened_modules()])


def _cycle_message(cycle: list[tuple[_Module, str]]) -> str:
    steps = [
        (f"import {via} -> " if via else "") + f"module {module.path.rpartition('.')[2]}"
        for module, via in cycle
    ]
    return (
        "module definition contains a cycle (note: parent modules implicitly depend on submodules): "
        + " -> ".join(steps)
    )


# ------------------------------------------------------------------ values written alone


def with_constructors(expr: ast.Expr, datatypes: tuple[ast.Datatype, ...]) -> ast.Expr:
    """A value written outside the program (`minidafny run --args`, a notebook's `--run`) as
    the resolver knows its constructors: every datatype is open, so `Cons(1, Nil)` of a
    datatype of module `M` is `M.Cons(1, M.Nil)`, and `M.Nil` is written as it is."""
    keys = {ctor_key(datatype.name, ctor.name) for datatype in datatypes for ctor in datatype.ctors}
    bare: dict[str, list[str]] = {}
    for key in keys:
        bare.setdefault(key.rpartition(".")[2], []).append(key)

    def name(written: str) -> str:
        meanings = bare.get(written, [])
        return meanings[0] if written not in keys and len(meanings) == 1 else written

    def node(value):
        if isinstance(value, tuple):
            return tuple(node(item) for item in value)
        if not _is_node(value) or isinstance(value, ast.Pattern):
            return value
        match value:
            case ast.Name():
                return dataclasses.replace(value, name=name(value.name))
            case ast.Member() if dotted(value) in keys:
                return ast.Name(span=value.span, name=dotted(value) or "")
            case ast.Call():
                value = dataclasses.replace(value, name=name(value.name))
        changes = {item.name: node(getattr(value, item.name)) for item in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)

    return node(expr)
