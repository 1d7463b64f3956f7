// two elements assigned at once may be the same element, with different values
method SetBoth(a: array<int>, i: int, j: int)
  requires 0 <= i < a.Length && 0 <= j < a.Length
  modifies a
{
  a[i], a[j] := 1, 2;
}
