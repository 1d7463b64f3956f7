// MiniDafny's aggregate updates write a[i] for their one bound variable i (Dafny also
// takes other indices, with a check that no two values of i write one element).

method Evens(a: array<int>)
  modifies a
{
  forall i | 0 <= i < a.Length / 2 {
    a[2 * i] := 0;
  }
}
