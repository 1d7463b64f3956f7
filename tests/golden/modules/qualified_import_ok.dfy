// `import A.B` without a name: Dafny 2.3 asks for one ("Qualified imports must be given a
// name"); current Dafny names the import by the path's last part, and so does MiniDafny.
module A {
  module B {
    function F(x: int): int { x + 1 }
  }
}

module C {
  import A.B
  import opened Inner = A.B

  lemma L()
    ensures B.F(1) == 2 && F(2) == 3
  {
  }
}
