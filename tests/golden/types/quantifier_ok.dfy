// A quantifier over a subset type ranges over the type's values only.
type Index = i: int | 0 <= i < 3 witness 0

method AllPositive(s: seq<int>)
  requires |s| == 3
  requires forall i: Index :: s[i] > 0
  ensures forall j: Index :: s[j] >= 1
  ensures forall k: Index :: -5 <= k < 20 ==> s[k] != 0
{
}
