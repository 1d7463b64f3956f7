// A constructor may be named like its own datatype, as is common in Dafny.
datatype D = D(x: int)
datatype Unit = Unit
datatype Pair = Pair(a: nat, b: nat)

function Sum(p: Pair): nat
{
  p.a + p.b
}

method M() returns (d: D)
  ensures d.x == 3
{
  d := D(3);
  var u := Unit;
  assert u == Unit;
  var p := Pair(1, 2);
  assert Sum(p) == 3;
  match p {
    case Pair(a, b) => assert a + b == 3;
  }
}
