// a loop that writes one array may, as far as the verifier knows, change every array
// the method may modify: b's contents are unknown after the loop
method FillA(a: array<int>, b: array<int>)
  requires a != b && b.Length > 0
  modifies a, b
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
  {
    a[i] := 0;
    i := i + 1;
  }
  assert b[0] == old(b[0]);
}
