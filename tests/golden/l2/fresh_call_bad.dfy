// without ensures fresh(r) the caller may not write the returned array
method Make(n: nat) returns (r: array<int>)
  ensures r.Length == n
{
  r := new int[n];
}

method Test()
{
  var b := Make(3);
  b[0] := 7;
}
