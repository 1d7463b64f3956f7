// The right-hand sides read the array as it was before the statement: this shifts each
// element one place left, it does not move a[a.Length - 1] all the way to a[0].

method Rotate(a: array<int>)
  requires a.Length > 1
  modifies a
  ensures a[0] == old(a[a.Length - 1])
{
  forall i | 0 <= i < a.Length - 1 {
    a[i] := a[i + 1];
  }
}

method Alias(a: array<int>, b: array<int>)
  modifies a
  ensures forall k :: 0 <= k < b.Length ==> b[k] == old(b[k])
{
  forall i | 0 <= i < a.Length {
    a[i] := 0;
  }
}
