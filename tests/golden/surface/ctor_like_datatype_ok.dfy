// A constructor named like its datatype: used plainly, qualified, in patterns and as a test.
datatype D = D(x: int)
datatype E = E(y: int) | Empty

function Get(d: D): int
{
  match d
  case D(v) => v
}

method Inc(d: D) returns (r: D)
  ensures r.x == d.x + 1
{
  r := D(d.x + 1);
}

method M() {
  var a := D(3);
  var b := D.D(3);
  assert a == b && a.D? && Get(a) == 3;
  var e := E.E(2);
  assert e.E? && !e.Empty?;
  var r := Inc(a);
  assert r.x == 4;
}
