// The values must fit the element type.

method Decrement(a: array<nat>)
  modifies a
{
  forall i | 0 <= i < a.Length {
    a[i] := a[i] - 1;
  }
}
