// Sets and multisets of nat, and a sequence update, are checked too (current Dafny does;
// Dafny 2.3 misses these three).
method Set()
{
  var t: set<nat> := {-2};
}

method Multiset()
{
  var m: multiset<nat> := multiset{-3};
}

method Update(s: seq<nat>)
  requires |s| > 0
{
  var t := s[0 := -1];
  var u: seq<nat> := t;
}
