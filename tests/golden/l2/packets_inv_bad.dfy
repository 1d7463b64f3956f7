// packets whose slice s[i + 1..i + m] drops the first element of each packet
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
    acc := acc + s[i + 1..i + m];
    i := i + m;
  }
}
