// A forall statement that assigns array elements is compiled code: not in a lemma.

lemma L(a: array<int>)
{
  forall i | 0 <= i < a.Length {
    a[i] := 0;
  }
}
