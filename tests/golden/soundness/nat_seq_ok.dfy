// What a seq<nat> holds is known to be a nat; values built from nats need no check.
function Sum(s: seq<nat>): nat
{
  if |s| == 0 then 0 else s[0] + Sum(s[1..])
}

method Append(s: seq<nat>, x: nat) returns (r: seq<nat>)
  ensures r == s + [x]
  ensures forall i :: 0 <= i < |r| ==> r[i] >= 0
{
  r := s + [x];
}

method Checked(s: seq<int>) returns (r: seq<nat>)
  requires forall i :: 0 <= i < |s| ==> s[i] >= 0
{
  r := s;
}

method Nested(ss: seq<seq<nat>>)
  requires |ss| > 0 && |ss[0]| > 0
{
  assert ss[0][0] >= 0;
}
