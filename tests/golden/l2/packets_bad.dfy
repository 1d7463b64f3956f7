// packets of exactly k elements: the last slice s[i..i + k] may run past the end
method Packets(s: seq<int>, k: int) returns (acc: seq<int>)
  requires k > 0
  ensures acc == s
{
  acc := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant acc == s[..i]
  {
    acc := acc + s[i..i + k];
    i := i + k;
  }
}
