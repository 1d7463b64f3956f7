// A qualified name that the module does not declare.
module A {
  function F(x: int): int { x + 1 }
}

module B {
  import A
  lemma L()
    ensures A.G(1) == 2
  {
  }
}
