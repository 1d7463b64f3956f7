// A bound variable said to be in a sequence of datatype values gets their type, and the
// recursive call on it terminates.
datatype Rose = Node(val: int, children: seq<Rose>)

predicate AllPositive(r: Rose)
{
  r.val > 0 && forall c :: c in r.children ==> AllPositive(c)
}

predicate AllPositive2(r: Rose)
{
  r.val > 0 && forall i :: 0 <= i < |r.children| ==> AllPositive2(r.children[i])
}

lemma Root(r: Rose)
  requires AllPositive(r)
  ensures r.val > 0
{
}

method Check(r: Rose)
{
  ghost var a := AllPositive(r);
  ghost var b := AllPositive2(r);
}
