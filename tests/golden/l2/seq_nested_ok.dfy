// sequences of sequences: chunks of a sequence, and their lengths
function Flatten(chunks: seq<seq<int>>): seq<int>
{
  if |chunks| == 0 then [] else Flatten(chunks[..|chunks| - 1]) + chunks[|chunks| - 1]
}

method Split(s: seq<int>, k: int) returns (chunks: seq<seq<int>>)
  requires k > 0
  ensures Flatten(chunks) == s
  ensures forall c :: 0 <= c < |chunks| ==> 0 < |chunks[c]| <= k
{
  chunks := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant Flatten(chunks) == s[..i]
    invariant forall c :: 0 <= c < |chunks| ==> 0 < |chunks[c]| <= k
  {
    var m := if |s| - i < k then |s| - i else k;
    assert (chunks + [s[i..i + m]])[..|chunks|] == chunks;
    chunks := chunks + [s[i..i + m]];
    assert s[..i + m] == s[..i] + s[i..i + m];
    i := i + m;
  }
  assert s[..|s|] == s;
}
