// writing a freshly allocated array<bool> needs no modifies clause
method AllTrue(n: nat) returns (r: array<bool>)
  ensures fresh(r) && r.Length == n
  ensures forall k :: 0 <= k < n ==> r[k]
{
  r := new bool[n];
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant forall k :: 0 <= k < i ==> r[k]
  {
    r[i] := true;
    i := i + 1;
  }
}
