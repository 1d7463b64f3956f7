// what a loop leaves alone is said by an invariant; a loop that touches no array keeps all
method FillA(a: array<int>, b: array<int>)
  requires a != b && b.Length > 0
  modifies a, b
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < b.Length ==> b[k] == old(b[k])
  {
    a[i] := 0;
    i := i + 1;
  }
  assert b[0] == old(b[0]);
  var n := 0;
  while n < 10
    invariant 0 <= n <= 10
  {
    n := n + 1;
  }
  assert b[0] == old(b[0]);
}

// an array the method does not modify keeps its contents through any loop
method CopyInto(a: array<int>, b: array<int>)
  requires a != b && a.Length == b.Length
  modifies b
  ensures forall k :: 0 <= k < a.Length ==> b[k] == a[k]
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> b[k] == a[k]
  {
    b[i] := a[i];
    i := i + 1;
  }
}
