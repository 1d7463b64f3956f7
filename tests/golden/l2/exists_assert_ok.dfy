// asserting exists with a witness known from the precondition
method Witness(s: seq<int>)
  requires |s| > 2 && s[1] == 7
{
  assert exists k :: 0 <= k < |s| && s[k] == 7;
}
