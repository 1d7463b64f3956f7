// Arrays are invariant: an array<nat> passed where an array<int> goes would let the callee store -1.
method Callee(a: array<int>)
  requires a.Length > 0
  modifies a
{
  a[0] := -1;
}

method Caller()
{
  var a := new nat[1];
  Callee(a);
}
