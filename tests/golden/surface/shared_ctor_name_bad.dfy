datatype A = Leaf | NodeA(a: int)
datatype B = Leaf | NodeB(b: int)

method M(x: A) {
  assert x == A.Leaf;
}
