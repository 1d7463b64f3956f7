// cut s into packets of at most k elements and reassemble them in order
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
    var m := k;
    if |s| - i < k {
      m := |s| - i;
    }
    acc := acc + s[i..i + m];
    i := i + m;
  }
}
