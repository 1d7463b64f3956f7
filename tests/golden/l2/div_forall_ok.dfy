// division by d inside a quantifier, with d != 0 checked first
method AllBig(s: seq<int>, d: int)
  requires d != 0 && forall k :: 0 <= k < |s| ==> s[k] / d > 0
{
}
