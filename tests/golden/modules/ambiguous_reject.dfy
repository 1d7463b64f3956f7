// Two opened modules declare `F`: an unqualified `F` is ambiguous.
module A {
  function F(x: int): int { x + 1 }
}

module B {
  function F(x: int): int { x + 2 }
}

module C {
  import opened A
  import opened B
  function G(x: int): int { F(x) }
}
