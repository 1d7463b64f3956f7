// Two modules declare a datatype of the same name with the same constructors: each has its
// own values, reached as `A.Leaf`, `B.Node(...)`, or by the datatype (`Tree.Leaf`).
module A {
  datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)

  function Size(t: Tree): nat {
    match t
    case Leaf => 0
    case Node(l, _, r) => Size(l) + 1 + Size(r)
  }
}

module B {
  datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)

  function Sum(t: Tree): int {
    match t
    case Leaf => 0
    case Node(l, v, r) => Sum(l) + v + Sum(r)
  }

  lemma Single(v: int)
    ensures Sum(Node(Tree.Leaf, v, Leaf)) == v
  {
  }
}

module Both {
  import A
  import B

  function Mirror(t: A.Tree): B.Tree {
    match t
    case Leaf => B.Leaf
    case Node(l, v, r) => B.Node(Mirror(r), v, Mirror(l))
  }

  lemma MirrorKeepsSize(t: A.Tree)
    ensures A.Size(t) >= 0
    ensures t.Leaf? ==> Mirror(t) == B.Leaf
  {
  }

  lemma Example()
    ensures B.Sum(Mirror(A.Node(A.Leaf, 4, A.Node(A.Leaf, 5, A.Tree.Leaf)))) == 9
  {
  }
}
