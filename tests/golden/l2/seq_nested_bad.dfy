// sequences of sequences: the last chunk may be shorter than k
method Split(s: seq<int>, k: int) returns (chunks: seq<seq<int>>)
  requires k > 0
  ensures forall c :: 0 <= c < |chunks| ==> |chunks[c]| == k
{
  chunks := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall c :: 0 <= c < |chunks| ==> |chunks[c]| == k
  {
    var m := if |s| - i < k then |s| - i else k;
    chunks := chunks + [s[i..i + m]];
    i := i + m;
  }
}
