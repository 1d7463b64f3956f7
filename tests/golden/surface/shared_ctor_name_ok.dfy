// Two datatypes may declare the same constructor name; it is then written qualified,
// while patterns, tests and destructors are told apart by the value's type.
datatype A = Leaf | NodeA(a: int)
datatype B = Leaf | NodeB(b: int)

method M(x: A) returns (r: int)
  ensures x.Leaf? ==> r == 0
{
  match x {
    case Leaf => r := 0;
    case NodeA(v) => r := v;
  }
}

method N() {
  var y := A.NodeA(3);
  var z := B.Leaf;
  var w := NodeB(2);
  assert y.a == 3 && z.Leaf? && w.b == 2;
  assert z != B.NodeB(0);
}
