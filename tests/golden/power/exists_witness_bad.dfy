method MaxWrong(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures exists k :: 0 <= k < a.Length && m == a[k]
{
  m := a[0];
  var i := 1;
  while i < a.Length
    invariant 1 <= i <= a.Length
    invariant exists k :: 0 <= k < i && m == a[k]
  {
    if a[i] > m { m := a[i] + 1; }
    i := i + 1;
  }
}

method NoWitness(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures exists k :: 0 <= k < a.Length && m == a[k]
{
  m := a[0] + 1;
}
