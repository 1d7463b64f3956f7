"""Generic declarations made concrete for the verifier.

A generic function, lemma or method (`function Length<T>(xs: List<T>): nat`) is verified once,
with its type parameters as types of their own that nothing is known about. Where it is
called with type arguments (`Length(Cons(1, Nil))` calls `Length<int>`), the verifier needs
its definition and contract at those types: each such instance is a copy of the declaration
with the types substituted, named `Length<int>`, and calls are renamed to it. Instances are
only used, never verified again: what holds for every T holds for int.
"""

from __future__ import annotations

import dataclasses

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import INT, UNKNOWN, Type, substitute

Generic = ast.Method | ast.Function


def instantiate(program: ast.Program) -> tuple[ast.Program, frozenset[str]]:
    """The program with an instance of each generic declaration per list of type arguments its
    calls use, and the instances' names."""
    generics = {
        decl.name: decl
        for decl in program.decls
        if isinstance(decl, ast.Method | ast.Function) and decl.type_params
    }
    if not generics:
        return program, frozenset()
    rewriter = _Rewriter(generics)
    decls = [rewriter.rewrite(decl, {}) for decl in program.decls]
    while rewriter.pending:
        name, args = rewriter.pending.pop()
        generic = generics[name]
        binding = dict(zip(generic.type_params, args, strict=True))
        instance = rewriter.rewrite(generic, binding)
        decls.append(dataclasses.replace(instance, name=instance_name(name, args), type_params=()))
    return dataclasses.replace(program, decls=tuple(decls)), frozenset(rewriter.made)


def instance_name(name: str, args: tuple[Type, ...]) -> str:
    return f"{name}<{', '.join(str(arg) for arg in args)}>"


def _concrete(ty: Type) -> Type:
    if ty == UNKNOWN:
        return INT
    if not ty.args:
        return ty  # a subset type keeps its parent
    return Type(ty.name, tuple(_concrete(arg) for arg in ty.args))


class _Rewriter:
    def __init__(self, generics: dict[str, Generic]):
        self.generics = generics
        self.made: set[str] = set()
        self.pending: list[tuple[str, tuple[Type, ...]]] = []

    def rewrite(self, node: object, binding: dict[str, Type]) -> object:
        if isinstance(node, Type):
            return substitute(node, binding) if binding else node
        if isinstance(node, tuple):
            return tuple(self.rewrite(item, binding) for item in node)
        if isinstance(node, Span) or not dataclasses.is_dataclass(node) or isinstance(node, type):
            return node
        changes = {}
        for item in dataclasses.fields(node):
            value = getattr(node, item.name)
            new = self.rewrite(value, binding)
            if new is not value:
                changes[item.name] = new
        result = dataclasses.replace(node, **changes) if changes else node
        if isinstance(result, ast.Call) and result.name in self.generics:
            return self.renamed(result)
        return result

    def renamed(self, call: ast.Call) -> ast.Call:
        callee = self.generics[call.name]
        args = tuple(_concrete(arg) for arg in call.type_args)
        if args == tuple(Type(param) for param in callee.type_params):
            return call  # the generic declaration itself, as in its own recursive calls
        name = instance_name(call.name, args)
        if name not in self.made:
            self.made.add(name)
            self.pending.append((call.name, args))
        return dataclasses.replace(call, name=name, type_args=(), type_params=(), signature=())
