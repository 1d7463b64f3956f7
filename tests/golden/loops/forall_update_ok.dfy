// A forall statement that assigns array elements (Dafny's aggregate update): every
// right-hand side is evaluated in the state before the statement, then all are written.

method Zero(a: array<int>)
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == 0
{
  forall i | 0 <= i < a.Length {
    a[i] := 0;
  }
}

method Increment(a: array<int>)
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == old(a[k]) + 1
{
  forall i | 0 <= i < a.Length {
    a[i] := a[i] + 1;
  }
}

method ShiftLeft(a: array<int>)
  requires a.Length > 0
  modifies a
  ensures forall k :: 0 <= k < a.Length - 1 ==> a[k] == old(a[k + 1])
  ensures a[a.Length - 1] == old(a[a.Length - 1])
{
  forall i | 0 <= i < a.Length - 1 {
    a[i] := a[i + 1];
  }
}

method Copy(a: array<int>, b: array<int>)
  requires a.Length == b.Length && a != b
  modifies b
  ensures forall k :: 0 <= k < b.Length ==> b[k] == a[k]
  ensures a[..] == old(a[..])
{
  forall i | 0 <= i < a.Length {
    b[i] := a[i];
  }
}

method Part(a: array<int>, lo: int, hi: int)
  requires 0 <= lo <= hi <= a.Length
  modifies a
  ensures forall k :: lo <= k < hi ==> a[k] == k
  ensures forall k :: 0 <= k < lo ==> a[k] == old(a[k])
  ensures forall k :: hi <= k < a.Length ==> a[k] == old(a[k])
{
  forall i | lo <= i < hi {
    a[i] := i;
  }
}
