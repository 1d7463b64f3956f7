method Max(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures forall k :: 0 <= k < a.Length ==> a[k] <= m
  ensures exists k :: 0 <= k < a.Length && m == a[k]
{
  m := a[0];
  var i := 1;
  while i < a.Length
    invariant 1 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] <= m
    invariant exists k :: 0 <= k < i && m == a[k]
  {
    if a[i] > m { m := a[i]; }
    i := i + 1;
  }
}

method MaxIndex(a: array<int>) returns (idx: int)
  requires a.Length > 0
  ensures 0 <= idx < a.Length
  ensures forall k :: 0 <= k < a.Length ==> a[k] <= a[idx]
{
  idx := 0;
  var i := 1;
  while i < a.Length
    invariant 1 <= i <= a.Length
    invariant 0 <= idx < i
    invariant forall k :: 0 <= k < i ==> a[k] <= a[idx]
  {
    if a[i] > a[idx] { idx := i; }
    i := i + 1;
  }
}

method MinSeq(s: seq<int>) returns (m: int)
  requires |s| > 0
  ensures forall k :: 0 <= k < |s| ==> m <= s[k]
  ensures exists k :: 0 <= k < |s| && m == s[k]
{
  m := s[0];
  var i := 1;
  while i < |s|
    invariant 1 <= i <= |s|
    invariant forall k :: 0 <= k < i ==> m <= s[k]
    invariant exists k :: 0 <= k < i && m == s[k]
  {
    if s[i] < m { m := s[i]; }
    i := i + 1;
  }
}

method Contains(a: array<int>, x: int) returns (found: bool)
  ensures found <==> exists k :: 0 <= k < a.Length && a[k] == x
{
  found := false;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant found <==> exists k :: 0 <= k < i && a[k] == x
  {
    if a[i] == x { found := true; }
    i := i + 1;
  }
}
