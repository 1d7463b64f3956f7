// A value of one module's `Tree` where the other's is expected: a type error, as in Dafny.
module A {
  datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)
}

module B {
  datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)
  function Count(t: Tree): nat {
    match t
    case Leaf => 0
    case Node(l, _, r) => Count(l) + 1 + Count(r)
  }
}

module Use {
  import A
  import B
  lemma L()
    ensures B.Count(A.Leaf) == 0
  {
  }
}
