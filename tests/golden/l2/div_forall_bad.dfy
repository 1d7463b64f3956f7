// division by d inside a quantifier where d may be 0
method AllBig(s: seq<int>, d: int)
  requires forall k :: 0 <= k < |s| ==> s[k] / d > 0
{
}
