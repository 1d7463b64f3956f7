// the caller writes the result of Make without a modifies clause thanks to fresh(r)
method Make(n: nat) returns (r: array<int>)
  ensures fresh(r) && r.Length == n
{
  r := new int[n];
}

method Test()
{
  var b := Make(3);
  b[0] := 7;
  assert b[0] == 7;
}
