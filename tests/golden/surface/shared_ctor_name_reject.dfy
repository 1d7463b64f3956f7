// Used unqualified, a constructor name that two datatypes declare is an error, even where
// the expected type would tell them apart (as Dafny 2.3 says).
datatype A = Leaf | NodeA(a: int)
datatype B = Leaf | NodeB(b: int)

method M(x: A) returns (r: int) {
  if x == Leaf {
    r := 1;
  }
}
