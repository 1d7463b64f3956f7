// Module refinement is outside MiniDafny (Dafny accepts this program).
module A {
  function F(x: int): int { x + 1 }
}

module B refines A {
}
