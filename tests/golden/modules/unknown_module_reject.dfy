module A {
  function F(x: int): int { x + 1 }
}

module B {
  import Missing
  function G(x: int): int { x }
}
